import NIOCore

/// Client-side caching options (`clientCache:` of `createRedis` and `createRedisPool`): replies of cacheable
/// reads are kept in the process and evicted when the server says their key changed (`CLIENT TRACKING`).
///
/// ```swift
/// let redis = try await createRedisPool("redis://cache:6379", clientCache: RedisClientCache(maxBytes: 32 << 20))
/// let name = try await redis.get("user:1:name")   // from the server, then from memory until user:1:name changes
/// ```
///
/// README, "Client-side caching", says what is guaranteed and when to use which mode.
public struct RedisClientCache: Sendable, Equatable {
    /// How the server tells the cache which keys changed.
    public enum Mode: Sendable, Equatable {
        /// The server remembers the keys the cache read and invalidates just those (`CLIENT TRACKING on`).
        case `default`
        /// The server invalidates every key starting with one of `prefixes`, read or not (`BCAST`): no memory on
        /// the server per key read, more invalidation traffic.
        case broadcast
        /// Only reads made through `redis.cached` (or `execute(_:cached: true)`) are cached and tracked
        /// (`OPTIN`); other reads go to the server as without a cache.
        case optIn
    }

    /// The most bytes cached replies may take (keys, values and bookkeeping, estimated); the least recently used
    /// entries are evicted beyond it.
    public var maxBytes: Int
    /// How long an entry may be served at most, invalidated or not; `nil`: until invalidated or evicted.
    public var ttl: Duration?
    /// Only keys starting with one of these are cached; empty: every key. In `.broadcast` mode they are also the
    /// server's `PREFIX`es.
    public var prefixes: [String]
    /// See `Mode`.
    public var mode: Mode

    /// A cache of at most `maxBytes` (64 MiB by default), entries living at most `ttl`, for keys starting with
    /// one of `prefixes` (all keys when empty), tracked in `mode`.
    public init(maxBytes: Int = 64 << 20, ttl: Duration? = nil, prefixes: [String] = [], mode: Mode = .default) {
        self.maxBytes = maxBytes
        self.ttl = ttl
        self.prefixes = prefixes
        self.mode = mode
    }

    /// Throws `InvalidArgumentError` for options the cache cannot honour.
    func validate() throws {
        guard maxBytes > 0 else { throw InvalidArgumentError("clientCache maxBytes must be > 0, got \(maxBytes)") }
        if let ttl, ttl <= .zero { throw InvalidArgumentError("clientCache ttl must be positive, got \(ttl)") }
        if prefixes.contains(where: \.isEmpty) {
            throw InvalidArgumentError("clientCache prefixes must not be empty strings (leave the list empty for all keys)")
        }
    }

    /// Whether `key` is one this cache keeps.
    func covers(_ key: ByteBuffer) -> Bool {
        prefixes.isEmpty || key.withUnsafeReadableBytes { bytes in
            prefixes.contains { prefix in bytes.starts(with: prefix.utf8) }
        }
    }

    /// The `CLIENT TRACKING` command that makes the server send this mode's invalidations.
    var trackingArguments: [any RedisArgument] {
        switch mode {
        case .default: return ["TRACKING", "ON"]
        case .optIn: return ["TRACKING", "ON", "OPTIN"]
        case .broadcast: return ["TRACKING", "ON", "BCAST"] + prefixes.flatMap { ["PREFIX", $0] as [any RedisArgument] }
        }
    }
}
