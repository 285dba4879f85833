import NIOConcurrencyHelpers
import NIOCore

/// A client-side cache in use (`redis.cache`): its counters, its size, and `clear()`.
///
/// Cached replies are evicted when the server invalidates their key, when the connection that carries the
/// invalidations is lost or replaced, beyond `RedisClientCache.maxBytes` (least recently used first) and after
/// `RedisClientCache.ttl`. README, "Client-side caching", says what is guaranteed.
public final class RedisCache: Sendable {
    /// The options the cache was created with.
    public let options: RedisClientCache

    private struct Counts {
        var hits = 0
        var misses = 0
        var invalidations = 0
    }

    private struct Locked {
        var storage: ClientCacheStorage
        var counts = Counts()
        var isClosed = false
        /// Where a call's cache key is written to look it up, under the lock: reused, so that a hit allocates
        /// nothing (a miss copies it out).
        var lookupKey = ByteBuffer()
    }

    private let locked: NIOLockedValueBox<Locked>
    /// Whether hits must be shaped as RESP2 replies (the client's own connections speak RESP2).
    private let shapesForRESP2: Bool
    private let instruments: CacheInstruments?
    private let gauge = NIOLockedValueBox<Task<Void, Never>?>(nil)
    let tracking: any CacheTracking

    /// A cache of one server (a connection or a pool): one tracking connection to it.
    convenience init(options: RedisClientCache, configuration: RedisConnectionConfiguration) {
        self.init(options: options, configuration: configuration) { invalidated in
            CacheTrackingConnection(configuration: configuration, options: options, invalidated: invalidated)
        }
    }

    /// A cache whose misses and invalidations go through what `makeTracking` builds, given the function that
    /// applies an invalidation; `configuration` is the client's (its protocol version shapes hits, its address
    /// names the metrics).
    init(
        options: RedisClientCache, configuration: RedisConnectionConfiguration,
        makeTracking: (@escaping @Sendable (ClientCacheInvalidation) -> Void) -> any CacheTracking
    ) {
        self.options = options
        locked = NIOLockedValueBox(Locked(storage: ClientCacheStorage(maxBytes: options.maxBytes, ttl: options.ttl)))
        shapesForRESP2 = configuration.protocolVersion < 3
        instruments = CacheInstruments(configuration)
        let box = locked
        let instruments = instruments
        tracking = makeTracking { invalidation in Self.apply(invalidation, to: box, instruments: instruments) }
        if let instruments { gauge.withLockedValue { $0 = instruments.startGauge(of: self) } }
    }

    /// Reads answered from memory.
    public var hits: Int { locked.withLockedValue { $0.counts.hits } }
    /// Cacheable reads sent to the server (absent, expired, evicted or invalidated entries).
    public var misses: Int { locked.withLockedValue { $0.counts.misses } }
    /// Keys the server invalidated (a flush counts as one).
    public var invalidations: Int { locked.withLockedValue { $0.counts.invalidations } }
    /// The memory the cached replies take, estimated (keys, values and a fixed cost per entry).
    public var bytes: Int { locked.withLockedValue { $0.storage.bytes } }
    /// The number of cached replies.
    public var count: Int { locked.withLockedValue { $0.storage.count } }
    /// True once the client was closed.
    public var isClosed: Bool { locked.withLockedValue { $0.isClosed } }

    /// Drops every cached reply; reads in flight will not fill it either.
    public func clear() {
        locked.withLockedValue { $0.storage.invalidateAll() }
    }

    /// For tests: whether load tokens and write markers guard fills (see `ClientCacheStorage`).
    var guardsAgainstRaces: Bool {
        get { locked.withLockedValue { $0.storage.guardsAgainstRaces } }
        set { locked.withLockedValue { $0.storage.guardsAgainstRaces = newValue } }
    }

    func close() {
        locked.withLockedValue {
            $0.isClosed = true
            $0.storage.invalidateAll()
        }
        tracking.close()
        gauge.withLockedValue { $0 }?.cancel()
    }

    private static func apply(
        _ invalidation: ClientCacheInvalidation, to box: NIOLockedValueBox<Locked>, instruments: CacheInstruments?
    ) {
        let count = box.withLockedValue { locked -> Int in
            switch invalidation {
            case .trackingReset:
                locked.storage.invalidateAll()
                return 0
            case .everything:
                locked.storage.invalidateAll()
                locked.counts.invalidations += 1
                return 1
            case .keys(let keys):
                for key in keys { locked.storage.invalidate(key) }
                locked.counts.invalidations += keys.count
                return keys.count
            }
        }
        if count > 0 { instruments?.invalidations.increment(by: Int64(count)) }
    }

    // MARK: Reads

    /// A cacheable read's reply when it is cached, else `nil`. Synchronous, so that a hit has no suspension
    /// point and no executor hop; with the key built in a buffer kept for that, it allocates nothing either.
    func cachedReply(_ command: String, _ arguments: [any RedisArgument]) -> RESPValue? {
        let now = options.ttl == nil ? nil : ContinuousClock.now
        let hit = locked.withLockedValue { locked -> RESPValue? in
            locked.lookupKey.clear()
            CacheableCommands.writeCacheKey(command, arguments, into: &locked.lookupKey)
            let key = locked.lookupKey
            let value = locked.storage.lookup(key, now: now)
            if value != nil { locked.counts.hits += 1 }
            // One very long key must not stay allocated for good.
            if key.capacity > Self.lookupKeyCapacity { locked.lookupKey = ByteBuffer() }
            return value
        }
        if hit != nil { instruments?.hits.increment() }
        return hit
    }

    /// The capacity beyond which the lookup buffer is not kept for the next lookup.
    private static let lookupKeyCapacity = 4096

    /// A cacheable read `cachedReply` did not answer: through the tracking connection (filling the cache unless
    /// its key changed meanwhile), else, when the tracking connection cannot be had, from `fallback` uncached.
    func readFromServer(_ command: String, _ arguments: [any RedisArgument], fallback: any RedisCommandExecutor)
        async throws -> RESPValue
    {
        let key = CacheableCommands.cacheKey(command, arguments)
        guard let redisKeys = CacheableCommands.keys(command, arguments), redisKeys.count == 1,
            options.covers(redisKeys[0])
        else {
            return try await fallback.execute(command, arguments: arguments)
        }
        return try await load(command, arguments, key: key, redisKey: redisKeys[0], fallback: fallback)
    }

    /// MGET, one cache entry per key: only the keys not cached are asked for.
    func readMGET(_ arguments: [any RedisArgument], fallback: any RedisCommandExecutor) async throws -> RESPValue {
        // Without keys the server's error is the answer.
        guard !arguments.isEmpty else { return try await fallback.execute("MGET", arguments: arguments) }
        let redisKeys = arguments.map { ByteBuffer(bytes: RedisArgumentPayload.bytes(of: $0)) }
        let entryKeys = redisKeys.map { CacheableCommands.cacheKey("MGET", [$0]) }
        var values = entryKeys.map { lookup($0) }
        let missing = values.indices.filter { values[$0] == nil }
        guard !missing.isEmpty else { return .array(values.map { $0! }) }
        // The connection first: opening one drops the cache, and with it any load token taken before.
        guard let connection = try await trackingConnection(for: missing.map { redisKeys[$0] }) else {
            return try await fallback.execute("MGET", arguments: arguments)
        }
        let tokens = beginLoads(missing.map { redisKeys[$0] })
        let reply: RESPValue
        do {
            reply = try await tracking.read("MGET", missing.map { redisKeys[$0] }, on: connection)
        } catch {
            abandon(zip(missing, tokens).map { (redisKeys[$0], $1) })
            if error is ReplyError { throw error }
            return try await fallback.execute("MGET", arguments: arguments)
        }
        guard case .array(.some(let items)) = reply, items.count == missing.count else {
            abandon(zip(missing, tokens).map { (redisKeys[$0], $1) })
            throw UnexpectedReplyError("MGET answered \(reply.preview)")
        }
        for (position, index) in missing.enumerated() {
            let value = shape(items[position])
            values[index] = value
            if let token = tokens[position] {
                fill(entryKeys[index], redisKey: redisKeys[index], value: value, token: token)
            }
        }
        return .array(values.map { $0! })
    }

    private func load(
        _ command: String, _ arguments: [any RedisArgument], key: ByteBuffer, redisKey: ByteBuffer,
        fallback: any RedisCommandExecutor
    ) async throws -> RESPValue {
        guard let connection = try await trackingConnection(for: [redisKey]) else {
            return try await fallback.execute(command, arguments: arguments)
        }
        let token = beginLoads([redisKey])[0]
        let reply: RESPValue
        do {
            reply = try await tracking.read(command, arguments, on: connection)
        } catch {
            abandon([(redisKey, token)])
            if error is ReplyError || error is CancellationError { throw error }
            // The tracking connection cannot be had: the read still gets its answer, uncached.
            return try await fallback.execute(command, arguments: arguments)
        }
        let value = shape(reply)
        if let token { fill(key, redisKey: redisKey, value: value, token: token) }
        return value
    }

    /// The tracking connection; `nil` when it cannot be opened (the read then goes uncached to the client's own
    /// connection, which reports the server's state in its own errors).
    private func trackingConnection(for redisKeys: [ByteBuffer]) async throws -> RedisConnection? {
        do {
            return try await tracking.connection(for: redisKeys)
        } catch let error as CancellationError {
            throw error
        } catch {
            return nil
        }
    }

    private func lookup(_ key: ByteBuffer) -> RESPValue? {
        let now = options.ttl == nil ? nil : ContinuousClock.now
        let hit = locked.withLockedValue { locked -> RESPValue? in
            let value = locked.storage.lookup(key, now: now)
            if value != nil { locked.counts.hits += 1 }
            return value
        }
        if hit != nil { instruments?.hits.increment() }
        return hit
    }

    /// Counts reads about to be sent to the server; returns the load token of each key (`nil`: no fill).
    private func beginLoads(_ redisKeys: [ByteBuffer]) -> [UInt64?] {
        instruments?.misses.increment(by: Int64(redisKeys.count))
        return locked.withLockedValue { locked in
            locked.counts.misses += redisKeys.count
            return redisKeys.map { options.covers($0) ? locked.storage.beginLoad($0) : nil }
        }
    }

    private func fill(_ key: ByteBuffer, redisKey: ByteBuffer, value: RESPValue, token: UInt64) {
        let now = options.ttl == nil ? nil : ContinuousClock.now
        let kept = value.compacted
        locked.withLockedValue {
            _ = $0.storage.fill(key, redisKey: redisKey, value: kept, token: token, now: now)
        }
    }

    private func abandon(_ loads: [(ByteBuffer, UInt64?)]) {
        locked.withLockedValue { locked in
            for case (let redisKey, let token?) in loads { locked.storage.abandonLoad(redisKey, token: token) }
        }
    }

    private func shape(_ reply: RESPValue) -> RESPValue {
        shapesForRESP2 ? reply.resp2Shaped : reply
    }

    // MARK: Writes

    /// Runs `write`, a command sent through this client that may change `redisKeys` (`nil`: any key): their
    /// entries go first, and no read of them fills the cache until it is answered.
    func write<T>(_ redisKeys: [ByteBuffer]?, _ write: () async throws -> T) async throws -> T {
        locked.withLockedValue { locked in
            if let redisKeys { locked.storage.beginWrite(redisKeys) } else { locked.storage.beginWholeCacheWrite() }
        }
        defer {
            locked.withLockedValue { locked in
                if let redisKeys { locked.storage.endWrite(redisKeys) } else { locked.storage.endWholeCacheWrite() }
            }
        }
        return try await write()
    }
}
