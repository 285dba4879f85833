/// A node of a cluster as the client reaches it: the endpoint the cluster announces (host name or IP) and port.
public struct RedisClusterNode: Hashable, Sendable, CustomStringConvertible {
    /// The host the cluster announces for this node (its IP address, or its host name when announced).
    public let host: String
    /// The node's port (its TLS port on a TLS cluster).
    public let port: Int
    /// True for the master of a shard, false for a replica.
    public let isPrimary: Bool
    /// The slots its shard serves (for a replica, its master's).
    public let slots: [ClosedRange<Int>]

    public var description: String { "\(host):\(port) (\(isPrimary ? "master" : "replica"))" }

    var endpoint: ClusterEndpoint { ClusterEndpoint(host: host, port: port) }
}

/// Where a node is reached; the key of the per-node pools.
struct ClusterEndpoint: Hashable, Sendable, CustomStringConvertible {
    let host: String
    let port: Int

    var description: String { "\(host):\(port)" }
}

/// One master and its replicas, and the slots they serve.
struct ClusterShard: Sendable, Equatable {
    var master: ClusterEndpoint
    var replicas: [ClusterEndpoint]
    var slots: [ClosedRange<Int>]
}

/// The cluster's layout: which shard serves each of the 16384 slots.
struct ClusterTopology: Sendable {
    private(set) var shards: [ClusterShard]
    /// For each slot, the index of its shard in `shards`, or -1 when no shard serves it.
    private var owners: [Int16]
    /// Slots a MOVED reply reassigned since the layout was read: they win over `owners` until the next refresh.
    private(set) var moved: [Int: ClusterEndpoint] = [:]

    init(shards: [ClusterShard]) {
        // Masters ordered by their first slot, so that fan-out and SCAN visit them in a stable order.
        self.shards = shards.sorted { ($0.slots.first?.lowerBound ?? Int.max) < ($1.slots.first?.lowerBound ?? Int.max) }
        owners = [Int16](repeating: -1, count: ClusterKeySlot.slotCount)
        for (index, shard) in self.shards.enumerated() {
            for range in shard.slots where range.lowerBound >= 0 && range.upperBound < ClusterKeySlot.slotCount {
                for slot in range { owners[slot] = Int16(index) }
            }
        }
    }

    var isEmpty: Bool { shards.isEmpty }

    /// The masters serving at least one slot.
    var masters: [ClusterEndpoint] { shards.filter { !$0.slots.isEmpty }.map(\.master) }

    /// The master serving `slot`, if any.
    func master(for slot: Int) -> ClusterEndpoint? {
        if let endpoint = moved[slot] { return endpoint }
        let owner = Int(owners[slot])
        return owner >= 0 ? shards[owner].master : nil
    }

    /// The replicas of the shard serving `slot` (none once a MOVED reassigned it: the new owner's replicas are
    /// not known until the next refresh).
    func replicas(for slot: Int) -> [ClusterEndpoint] {
        guard moved[slot] == nil else { return [] }
        let owner = Int(owners[slot])
        return owner >= 0 ? shards[owner].replicas : []
    }

    /// Records what a MOVED reply said.
    mutating func move(slot: Int, to endpoint: ClusterEndpoint) {
        moved[slot] = endpoint
    }

    var endpoints: Set<ClusterEndpoint> {
        Set(shards.flatMap { [$0.master] + $0.replicas }).union(moved.values)
    }

    var nodes: [RedisClusterNode] {
        shards.flatMap { shard in
            [RedisClusterNode(host: shard.master.host, port: shard.master.port, isPrimary: true, slots: shard.slots)]
                + shard.replicas.map {
                    RedisClusterNode(host: $0.host, port: $0.port, isPrimary: false, slots: shard.slots)
                }
        }
    }

    /// True when every slot has a master.
    var coversAllSlots: Bool { !owners.contains(-1) }
}
