/// The cause of a channel closed because its consumer fell `maxBuffered` messages behind.
public final class PubSubOverflowError: RedisError, @unchecked Sendable {}
