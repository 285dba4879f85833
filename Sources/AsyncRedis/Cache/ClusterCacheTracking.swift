import NIOConcurrencyHelpers
import NIOCore

/// The tracking of a cluster client's cache: one tracking connection per master, each opened when a read of one
/// of its slots first misses, with one cache (one LRU, one byte bound) over them all.
///
/// A miss is read through the tracking connection of the master the client's layout names for the key's slot,
/// so the node that answers is the node that will invalidate: a node's replies and invalidations share one
/// socket, in the order it ran them (see `CacheTrackingConnection`). Replicas are never read through the cache,
/// whatever `readFrom` says: a replica's answer may lag the invalidations its master sends.
///
/// What a node's tracking covered is dropped whenever it may stop covering it:
/// - its tracking connection is lost or replaced (a killed node, a network failure): the whole cache goes, as
///   for a single server;
/// - the slots change master (a MOVED followed, a layout read naming other masters: a resharding, a failover):
///   the whole cache goes, and the tracking connections of nodes that no longer serve slots are closed;
/// - a read the node answers with MOVED, ASK, TRYAGAIN or CLUSTERDOWN is not cached: it goes to the cluster
///   client, which follows the redirection.
/// Dropping the whole cache rather than one node's entries costs a refill of the hot set after rare events, and
/// keeps the entries free of any per-node bookkeeping.
final class ClusterCacheTracking: CacheTracking {
    private struct Nodes {
        var tracking: [ClusterEndpoint: CacheTrackingConnection] = [:]
        var isClosed = false
    }

    private let cluster: RedisCluster
    private let options: RedisClientCache
    private let invalidated: @Sendable (ClientCacheInvalidation) -> Void
    private let nodes = NIOLockedValueBox(Nodes())

    init(
        cluster: RedisCluster, options: RedisClientCache,
        invalidated: @escaping @Sendable (ClientCacheInvalidation) -> Void
    ) {
        self.cluster = cluster
        self.options = options
        self.invalidated = invalidated
    }

    /// The tracking connection of the master serving the keys' slot; `CrossSlotError` for keys in several slots.
    func connection(for redisKeys: [ByteBuffer]) async throws -> RedisConnection {
        guard let slot = try ClusterRouting.slot(of: redisKeys, command: "a cached read") else {
            throw InvalidArgumentError("a cached read names no key")
        }
        let master = try cluster.node(for: slot, readOnly: false, replicas: false)
        return try await tracking(of: master).connection()
    }

    private func tracking(of master: ClusterEndpoint) throws -> CacheTrackingConnection {
        try nodes.withLockedValue { nodes in
            guard !nodes.isClosed else { throw ConnectionForcedCloseError("the client cache is closed") }
            if let existing = nodes.tracking[master] { return existing }
            var configuration = cluster.configuration.nodeConnection(master)
            configuration.sendsReadOnly = false
            // As the node pools: an unreachable node is a reason to read the layout again, not to wait.
            configuration.timeout = min(
                configuration.timeout ?? ClusterConfiguration.nodeConnectTimeout, ClusterConfiguration.nodeConnectTimeout)
            let made = CacheTrackingConnection(configuration: configuration, options: options, invalidated: invalidated)
            nodes.tracking[master] = made
            return made
        }
    }

    func read(_ command: String, _ arguments: [any RedisArgument], on connection: RedisConnection) async throws
        -> RESPValue
    {
        do {
            return try await CacheTrackingConnection.read(command, arguments, on: connection, mode: options.mode)
        } catch let reply as ReplyError
            where reply is TryAgainError || reply is ClusterDownError
            || ClusterRedirection(reply, replyingHost: "") != nil
        {
            throw CacheReadRerouted(reply: reply)
        }
    }

    /// A cluster has one database: SELECT of another fails before it gets here.
    func switchDatabase(to db: Int) {}

    /// Slots may have a new master: everything cached goes, and so do the tracking connections of nodes that
    /// serve no slot now (`masters`).
    func slotOwnersChanged(masters: Set<ClusterEndpoint>) {
        invalidated(.trackingReset)
        let retired = nodes.withLockedValue { nodes -> [CacheTrackingConnection] in
            let gone = nodes.tracking.filter { !masters.contains($0.key) }
            for endpoint in gone.keys { nodes.tracking[endpoint] = nil }
            return Array(gone.values)
        }
        for tracking in retired { tracking.close() }
    }

    func close() {
        let all = nodes.withLockedValue { nodes -> [CacheTrackingConnection] in
            nodes.isClosed = true
            defer { nodes.tracking = [:] }
            return Array(nodes.tracking.values)
        }
        for tracking in all { tracking.close() }
    }
}
