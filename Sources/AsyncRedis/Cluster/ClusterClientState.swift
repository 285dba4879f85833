/// What a `RedisCluster` holds under its lock: the layout, one pool per node, and the refresh in progress.
struct ClusterClientState {
    var topology = ClusterTopology(shards: [])
    var pools: [ClusterEndpoint: ConnectionsPool] = [:]
    var isClosed = false
    /// The refresh running or waiting for its turn; at most one at a time.
    var refresh: Task<Void, any Error>?
    var lastRefresh: ContinuousClock.Instant?
    /// Pools closed because their node left the layout, or by `close()`: `waitClosed()` waits for them.
    var closedPools: [ConnectionsPool] = []

    /// Installs a new layout; returns the pools of nodes it no longer names, for closing.
    mutating func install(_ newTopology: ClusterTopology) -> [ConnectionsPool] {
        topology = newTopology
        let kept = newTopology.endpoints
        let gone = pools.filter { !kept.contains($0.key) }
        for endpoint in gone.keys { pools[endpoint] = nil }
        closedPools += gone.values
        return Array(gone.values)
    }

    /// Ends everything: the pools to close and the refresh to cancel.
    mutating func close() -> ([ConnectionsPool], Task<Void, any Error>?) {
        isClosed = true
        let open = Array(pools.values)
        pools = [:]
        closedPools += open
        defer { refresh = nil }
        return (open, refresh)
    }
}
