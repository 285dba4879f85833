import NIOCore

/// Where a client cache sends its misses and where its invalidations come from: one tracking connection for a
/// server or a pool (`CacheTrackingConnection`), one per master for a cluster (`ClusterCacheTracking`).
protocol CacheTracking: Sendable {
    /// The tracking connection a read of `redisKeys` must go through: the one whose server holds them, so that
    /// the server that answers is the one that invalidates. Throws when none can be had now (the read then goes
    /// uncached to the client's own connections, and their errors are the caller's).
    func connection(for redisKeys: [ByteBuffer]) async throws -> RedisConnection

    /// Sends a cacheable read on `connection` and returns its reply as RESP3 gives it. Throws
    /// `CacheReadRerouted` when the server answered that another one serves the key now.
    func read(_ command: String, _ arguments: [any RedisArgument], on connection: RedisConnection) async throws
        -> RESPValue

    /// Reads `db` from now on (SELECT on the client); every entry of the old one is dropped.
    func switchDatabase(to db: Int)

    /// Closes the tracking connections for good.
    func close()
}

/// A cacheable read the tracking connection's server could not answer because another serves its key now (a
/// cluster's MOVED, ASK, TRYAGAIN or CLUSTERDOWN): it goes uncached to the client, which follows the redirection.
struct CacheReadRerouted: Error {
    let reply: ReplyError
}
