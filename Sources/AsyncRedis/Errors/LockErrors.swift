/// A lock operation failed (redis-py `LockError`): e.g. extending a lock without a timeout, or `withLock`
/// not getting the lock within its blocking timeout.
open class LockError: RedisError, @unchecked Sendable {}

/// The lock is not (or no longer) held with this `RedisLock`'s token (redis-py `LockNotOwnedError`).
public final class LockNotOwnedError: LockError, @unchecked Sendable {}
