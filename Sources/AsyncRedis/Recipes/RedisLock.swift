import NIOConcurrencyHelpers

/// A distributed lock on one Redis key, with redis-py `Lock` semantics.
///
/// `acquire` stores a random token under `name` (SET NX, with `timeout` as expiry if given); `release`,
/// `extend` and `reacquire` act only if the key still holds that token (compare-and-act Lua scripts), so an
/// expired lock taken over by someone else is never released or prolonged by mistake. One `RedisLock` value
/// stands for one holder: share the value among tasks of that holder only.
public final class RedisLock: Sendable {
    /// Where the lock lives.
    public let redis: Redis
    /// The lock's key.
    public let name: String
    /// How long the lock lives unless extended; `nil`: until released.
    public let timeout: Duration?
    /// The pause between attempts while blocking.
    public let sleep: Duration
    /// How long a blocking `acquire` tries; `nil`: forever.
    public let blockingTimeout: Duration?

    private let token = NIOLockedValueBox<String?>(nil)

    static let releaseScript = RedisScript(
        """
        if redis.call('get', KEYS[1]) == ARGV[1] then
            return redis.call('del', KEYS[1])
        end
        return 0
        """)

    /// ARGV[2]: milliseconds; ARGV[3]: "1" to replace the remaining TTL, "0" to add to it.
    static let extendScript = RedisScript(
        """
        if redis.call('get', KEYS[1]) ~= ARGV[1] then
            return 0
        end
        local remaining = redis.call('pttl', KEYS[1])
        if remaining < 0 then
            return 0
        end
        local ttl = tonumber(ARGV[2])
        if ARGV[3] == '0' then
            ttl = ttl + remaining
        end
        redis.call('pexpire', KEYS[1], ttl)
        return 1
        """)

    static let reacquireScript = RedisScript(
        """
        if redis.call('get', KEYS[1]) ~= ARGV[1] then
            return 0
        end
        redis.call('pexpire', KEYS[1], ARGV[2])
        return 1
        """)

    /// A lock on key `name`: expiring after `timeout` (never when `nil`), polling every `sleep` while blocked, for at most
    /// `blockingTimeout` (forever when `nil`).
    public init(
        redis: Redis, name: String, timeout: Duration? = nil, sleep: Duration = .milliseconds(100),
        blockingTimeout: Duration? = nil
    ) {
        self.redis = redis
        self.name = name
        self.timeout = timeout
        self.sleep = sleep
        self.blockingTimeout = blockingTimeout
    }

    /// The token this value holds the lock with, if it believes it holds it.
    public var localToken: String? { token.withLockedValue { $0 } }

    /// Tries to take the lock. With `blocking`, retries every `sleep` until it gets it or `blockingTimeout`
    /// (the argument, else the lock's) has passed. Returns whether the lock is now held.
    public func acquire(blocking: Bool = true, blockingTimeout: Duration? = nil) async throws -> Bool {
        let candidate = RedisLock.makeToken()
        let limit = blockingTimeout ?? self.blockingTimeout
        let clock = ContinuousClock()
        let deadline = limit.map { clock.now.advanced(by: $0) }
        while true {
            if try await tryTake(candidate) {
                token.withLockedValue { $0 = candidate }
                return true
            }
            guard blocking else { return false }
            if let deadline, clock.now.advanced(by: sleep) > deadline { return false }
            try await Task.sleep(for: sleep)
        }
    }

    /// Releases the lock. - Throws: `LockError` if this value does not hold it, `LockNotOwnedError` if the key
    /// no longer holds this value's token (it expired, maybe taken by another holder).
    public func release() async throws {
        guard let held = token.withLockedValue({ current -> String? in
            defer { current = nil }
            return current
        }) else {
            throw LockError("cannot release an unlocked lock \(name)")
        }
        let deleted = try await RedisLock.releaseScript.run(on: redis, keys: [name], args: [held], as: Int.self)
        guard deleted == 1 else {
            throw LockNotOwnedError("cannot release lock \(name): it is no longer owned")
        }
    }

    /// Adds `additionalTime` to the lock's remaining time (or, with `replaceTTL`, sets it to that).
    /// - Throws: `LockError` if not held or the lock has no timeout; `LockNotOwnedError` if no longer owned.
    @discardableResult
    public func extend(by additionalTime: Duration, replaceTTL: Bool = false) async throws -> Bool {
        guard let held = localToken else { throw LockError("cannot extend an unlocked lock \(name)") }
        guard timeout != nil else { throw LockError("cannot extend lock \(name), which has no timeout") }
        let changed = try await RedisLock.extendScript.run(
            on: redis, keys: [name], args: [held, RedisLock.milliseconds(additionalTime), replaceTTL ? "1" : "0"],
            as: Int.self)
        guard changed == 1 else { throw LockNotOwnedError("cannot extend lock \(name): it is no longer owned") }
        return true
    }

    /// Resets the lock's remaining time to `timeout`.
    /// - Throws: `LockError` if not held or the lock has no timeout; `LockNotOwnedError` if no longer owned.
    @discardableResult
    public func reacquire() async throws -> Bool {
        guard let held = localToken else { throw LockError("cannot reacquire an unlocked lock \(name)") }
        guard let timeout else { throw LockError("cannot reacquire lock \(name), which has no timeout") }
        let changed = try await RedisLock.reacquireScript.run(
            on: redis, keys: [name], args: [held, RedisLock.milliseconds(timeout)], as: Int.self)
        guard changed == 1 else { throw LockNotOwnedError("cannot reacquire lock \(name): it is no longer owned") }
        return true
    }

    /// Whether the key currently holds this value's token.
    public func owned() async throws -> Bool {
        guard let held = localToken else { return false }
        let current = try await redis.execute("GET", arguments: [name], as: String?.self, encoding: .utf8)
        return current == held
    }

    /// Whether anyone holds the lock.
    public func locked() async throws -> Bool {
        try await redis.execute("EXISTS", arguments: [name], as: Int.self) > 0
    }

    /// Takes the lock (blocking), runs `body` and releases the lock on every path, cancellation included.
    /// - Throws: `LockError` if the lock could not be taken within the blocking timeout; the release's
    ///   `LockNotOwnedError` if the lock expired while `body` ran (after `body`'s own error, if any).
    public func withLock<T>(_ body: () async throws -> T) async throws -> T {
        guard try await acquire() else {
            throw LockError("could not acquire lock \(name) within \(String(describing: blockingTimeout))")
        }
        let result: T
        do {
            result = try await body()
        } catch {
            try? await releaseShielded()
            throw error
        }
        try await releaseShielded()
        return result
    }

    /// `release` in an unstructured task, so that a cancelled caller still frees the lock.
    private func releaseShielded() async throws {
        try await Task { try await self.release() }.value
    }

    private func tryTake(_ candidate: String) async throws -> Bool {
        var arguments: [any RedisArgument] = [name, candidate, "NX"]
        if let timeout { arguments += ["PX", RedisLock.milliseconds(timeout)] }
        let reply = try await redis.execute("SET", arguments: arguments)
        return !reply.isNull
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return String(high, radix: 16) + String(low, radix: 16)
    }
}
