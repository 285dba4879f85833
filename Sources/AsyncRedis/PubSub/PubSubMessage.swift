import NIOCore

/// One message received on a subscription.
public struct PubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    public var channel: String
    /// The pattern that matched, for pattern subscriptions; `nil` on plain channels.
    public var pattern: String?
    /// The message's bytes.
    public var payload: ByteBuffer

    public init(channel: String, pattern: String? = nil, payload: ByteBuffer) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    /// The payload as text, or `nil` if it is not valid in `encoding`.
    public func string(encoding: RedisEncoding = .utf8) -> String? {
        encoding.decode(payload)
    }
}
