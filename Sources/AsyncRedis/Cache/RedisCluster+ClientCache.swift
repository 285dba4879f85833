extension RedisCluster {
    /// The cluster behind a client cache (`createRedisCluster(..., clientCache:)`): see `ClusterCacheTracking`.
    func withClientCache(_ options: RedisClientCache) -> any RedisConnectionProtocol {
        var tracking: ClusterCacheTracking?
        // The cache's metrics are named after the first seed: the nodes' own address is a placeholder.
        var named = configuration.node
        named.address = configuration.seeds[0]
        let cache = RedisCache(options: options, configuration: named) { invalidated in
            let made = ClusterCacheTracking(cluster: self, options: options, invalidated: invalidated)
            tracking = made
            return made
        }
        if let tracking {
            slotOwnersObserver.withLockedValue { observer in
                observer = { [weak tracking] masters in tracking?.slotOwnersChanged(masters: masters) }
            }
        }
        return CachingConnection(self, cache: cache)
    }
}
