/// The connection (or pool) of a `Redis` with a client cache: cacheable reads go through the cache, writes
/// invalidate what they change before they are sent, everything else passes through untouched. A client without
/// a cache has no such layer, so the cache costs nothing when off.
final class CachingConnection: RedisConnectionProtocol {
    /// The connection or pool commands go to.
    let base: any RedisConnectionProtocol
    let cache: RedisCache
    /// In `.optIn` mode, whether this view's reads are cached (`redis.cached`).
    let optedIn: Bool

    init(_ base: any RedisConnectionProtocol, cache: RedisCache, optedIn: Bool = false) {
        self.base = base
        self.cache = cache
        self.optedIn = optedIn
    }

    var encoding: RedisEncoding? { base.encoding }
    var address: RedisAddress { base.address }
    var db: Int { base.db }
    var isClosed: Bool { base.isClosed }
    var pubsubChannels: [String: PubSubChannel] { base.pubsubChannels }
    var pubsubPatterns: [String: PubSubChannel] { base.pubsubPatterns }
    var pubsubShardChannels: [String: PubSubChannel] { base.pubsubShardChannels }
    var inPubSub: Int { base.inPubSub }
    var inTransaction: Bool { base.inTransaction }

    /// The reply from memory when `command` is a read this view caches and it is cached, else `nil`.
    /// Synchronous, so that `Redis.execute` answers a hit without awaiting anything (no executor hop).
    func cachedReply(_ command: String, _ arguments: [any RedisArgument]) -> RESPValue? {
        guard case .cacheableRead = CacheableCommands.role(command), cache.options.mode != .optIn || optedIn,
            !Self.isMGET(command), !base.inTransaction
        else { return nil }
        return cache.cachedReply(command, arguments)
    }

    private static func isMGET(_ command: String) -> Bool {
        command.utf8.elementsEqual("mget".utf8, by: { $0 | 0x20 == $1 })
    }

    func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await execute(command, arguments, cacheLookedUp: false)
    }

    /// `execute`; `cacheLookedUp`: the caller's `cachedReply` already found nothing, so the cache is not looked
    /// up again (its key built and searched twice per miss).
    func execute(_ command: String, _ arguments: [any RedisArgument], cacheLookedUp: Bool) async throws
        -> RESPValue
    {
        switch CacheableCommands.role(command) {
        case .cacheableRead:
            guard cache.options.mode != .optIn || optedIn, !base.inTransaction else { break }
            if Self.isMGET(command) {
                return try await cache.readMGET(arguments, fallback: base)
            }
            // A hit returns before anything is awaited.
            if !cacheLookedUp, let hit = cache.cachedReply(command, arguments) { return hit }
            return try await cache.readFromServer(command, arguments, fallback: base)
        case .neutral:
            break
        case .write:
            return try await cache.write(CacheableCommands.keys(command, arguments)) {
                try await base.execute(command, arguments: arguments)
            }
        case .writeAnything:
            return try await cache.write(nil) { try await base.execute(command, arguments: arguments) }
        }
        return try await base.execute(command, arguments: arguments)
    }

    func executePubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue] {
        try await base.executePubSub(command, channels: channels)
    }

    /// SELECT on the client, and on the cache's connection: entries of the old database are dropped.
    func select(_ db: Int) async throws -> Bool {
        let selected = try await base.select(db)
        cache.tracking.switchDatabase(to: db)
        return selected
    }

    func auth(_ password: String, username: String?) async throws -> Bool {
        try await base.auth(password, username: username)
    }

    /// The base's own connection, uncached: pipelines and transactions need a `RedisConnection`. Their writes
    /// reach the cache through the server's invalidations only.
    func withDedicatedConnection<T>(_ body: (any RedisConnectionProtocol) async throws -> T) async throws -> T {
        try await base.withDedicatedConnection(body)
    }

    func close() {
        cache.close()
        base.close()
    }

    func waitClosed() async {
        await base.waitClosed()
    }

    static func connect(_ configuration: RedisConnectionConfiguration) async throws -> CachingConnection {
        throw InvalidArgumentError("a client cache wraps a connection or pool: use createRedis(..., clientCache:)")
    }
}
