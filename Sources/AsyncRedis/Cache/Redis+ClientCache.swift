extension Redis {
    /// The client-side cache of this client (`clientCache:` when it was created), `nil` without one.
    public var cache: RedisCache? { (connection as? CachingConnection)?.cache }

    /// This client with its reads cached in `RedisClientCache.Mode.optIn` mode (`CLIENT CACHING yes` before each
    /// read it sends): `try await redis.cached.get("config:flags")`. In the other modes, and without a cache,
    /// the client itself.
    public var cached: Redis {
        guard let caching = connection as? CachingConnection, caching.cache.options.mode == .optIn, !caching.optedIn
        else { return self }
        return Redis(CachingConnection(caching.base, cache: caching.cache, optedIn: true))
    }

    /// Runs `command`, through the cache when `cached` (the per-call opt-in of `RedisClientCache.Mode.optIn`).
    @discardableResult
    public func execute<Response>(
        _ command: RedisCommand<Response>, cached: Bool, encoding: RedisEncoding? = nil
    ) async throws -> Response {
        try await (cached ? self.cached : self).execute(command, encoding: encoding)
    }
}

extension RedisConnectionOptions {
    /// Wraps `connection` in a client cache when `clientCache` asks for one (after checking its options).
    func withClientCache(
        _ connection: any RedisConnectionProtocol, address: RedisAddress
    ) throws -> any RedisConnectionProtocol {
        guard let clientCache else { return connection }
        let cache = RedisCache(
            options: clientCache, configuration: RedisConnectionConfiguration(address: address, options: self))
        return CachingConnection(connection, cache: cache)
    }
}
