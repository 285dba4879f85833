/// Cluster administration (aioredis `ClusterCommandsMixin`): commands sent to one node of a Redis Cluster.
/// Routing keys across nodes is the Cluster client's work, not these commands'.
extension RedisCommands {
    /// CLUSTER ADDSLOTS: assigns slots to this node.
    @discardableResult
    public func clusterAddSlots(_ slots: Int...) throws -> RedisCommand<Bool> {
        try clusterAddSlotsListForm(slots)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func clusterAddSlotsListForm(_ slots: [Int]) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["ADDSLOTS"] + slots)
    }

    /// CLUSTER DELSLOTS: forgets slots on this node.
    @discardableResult
    public func clusterDelSlots(_ slots: Int...) throws -> RedisCommand<Bool> {
        try clusterDelSlotsListForm(slots)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func clusterDelSlotsListForm(_ slots: [Int]) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["DELSLOTS"] + slots)
    }

    /// CLUSTER COUNT-FAILURE-REPORTS for a node.
    public func clusterCountFailureReports(_ nodeID: String) throws -> RedisCommand<Int> {
        try send("CLUSTER", ["COUNT-FAILURE-REPORTS", nodeID], as: Int.self)
    }

    /// CLUSTER COUNTKEYSINSLOT: keys in a slot on this node.
    public func clusterCountKeysInSlot(_ slot: Int) throws -> RedisCommand<Int> {
        try send("CLUSTER", ["COUNTKEYSINSLOT", slot], as: Int.self)
    }

    /// CLUSTER FAILOVER, optionally FORCE or TAKEOVER; sent to a replica.
    @discardableResult
    public func clusterFailover(force: Bool = false, takeover: Bool = false) throws -> RedisCommand<Bool> {
        guard !(force && takeover) else { throw InvalidArgumentError("choose FORCE or TAKEOVER, not both") }
        let arguments: [any RedisArgument] = ["FAILOVER"] + (force ? ["FORCE"] : takeover ? ["TAKEOVER"] : [])
        return try sendOK("CLUSTER", arguments)
    }

    /// CLUSTER FORGET: removes a node from this node's table.
    @discardableResult
    public func clusterForget(_ nodeID: String) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["FORGET", nodeID])
    }

    /// CLUSTER GETKEYSINSLOT: up to `count` key names of a slot.
    public func clusterGetKeysInSlot(_ slot: Int, count: Int) throws -> RedisCommand<[String]> {
        try send("CLUSTER", ["GETKEYSINSLOT", slot, count], as: [String].self)
    }

    /// CLUSTER INFO as a dictionary (`cluster_state`, `cluster_slots_assigned`, ...).
    public func clusterInfo() throws -> RedisCommand<[String: String]> {
        return try send("CLUSTER", ["INFO"], as: String.self, encoding: .utf8).map { text, _ in
            var info: [String: String] = [:]
            for line in text.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                info[String(line[..<colon])] = String(line[line.index(after: colon)...])
            }
            return info
        }
    }

    /// CLUSTER KEYSLOT: the hash slot a key maps to.
    public func clusterKeySlot(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("CLUSTER", ["KEYSLOT", key], as: Int.self)
    }

    /// CLUSTER MEET: connects this node to another.
    @discardableResult
    public func clusterMeet(host: String, port: Int) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["MEET", host, port])
    }

    /// CLUSTER MYID: this node's id.
    public func clusterMyID() throws -> RedisCommand<String> {
        try send("CLUSTER", ["MYID"], as: String.self)
    }

    /// CLUSTER NODES, parsed.
    public func clusterNodes() throws -> RedisCommand<[Redis.ClusterNode]> {
        return try send("CLUSTER", ["NODES"], as: String.self, encoding: .utf8).map { text, _ in
            return text.split(whereSeparator: \.isNewline).compactMap { line in
                let fields = line.split(separator: " ").map(String.init)
                guard fields.count >= 8 else { return nil }
                let slots: [ClosedRange<Int>] = fields.dropFirst(8).compactMap { field in
                    // Importing/migrating markers ("[5461->-id]") are not served slots.
                    guard !field.hasPrefix("[") else { return nil }
                    let bounds = field.split(separator: "-").compactMap { Int($0) }
                    guard let low = bounds.first else { return nil }
                    return low...(bounds.count > 1 ? bounds[1] : low)
                }
                return Redis.ClusterNode(
                    id: fields[0], address: fields[1], flags: Set(fields[2].split(separator: ",").map(String.init)),
                    masterID: fields[3] == "-" ? nil : fields[3], linkState: fields[7], slots: slots)
            }
        }
    }

    /// CLUSTER REPLICATE: makes this node a replica of `nodeID`.
    @discardableResult
    public func clusterReplicate(_ nodeID: String) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["REPLICATE", nodeID])
    }

    /// CLUSTER RESET SOFT (default) or HARD.
    @discardableResult
    public func clusterReset(hard: Bool = false) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["RESET", hard ? "HARD" : "SOFT"])
    }

    /// CLUSTER SAVECONFIG: writes nodes.conf.
    @discardableResult
    public func clusterSaveConfig() throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["SAVECONFIG"])
    }

    /// CLUSTER SET-CONFIG-EPOCH on a fresh node.
    @discardableResult
    public func clusterSetConfigEpoch(_ epoch: Int) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["SET-CONFIG-EPOCH", epoch])
    }

    /// CLUSTER SETSLOT: changes the state of a slot.
    @discardableResult
    public func clusterSetSlot(_ slot: Int, _ state: Redis.SlotState) throws -> RedisCommand<Bool> {
        let tail: [any RedisArgument]
        switch state {
        case .importing(let id): tail = ["IMPORTING", id]
        case .migrating(let id): tail = ["MIGRATING", id]
        case .node(let id): tail = ["NODE", id]
        case .stable: tail = ["STABLE"]
        }
        return try sendOK("CLUSTER", ["SETSLOT", slot] + tail)
    }

    /// CLUSTER REPLICAS: the replicas of a master (aioredis `cluster_slaves`).
    public func clusterReplicas(_ nodeID: String) throws -> RedisCommand<[Redis.ClusterNode]> {
        return try send("CLUSTER", ["REPLICAS", nodeID], as: [String].self, encoding: .utf8).map { lines, _ in
            return lines.compactMap { line in
                let fields = line.split(separator: " ").map(String.init)
                guard fields.count >= 8 else { return nil }
                return Redis.ClusterNode(
                    id: fields[0], address: fields[1], flags: Set(fields[2].split(separator: ",").map(String.init)),
                    masterID: fields[3] == "-" ? nil : fields[3], linkState: fields[7], slots: [])
            }
        }
    }

    /// CLUSTER SLOTS, typed.
    public func clusterSlots() throws -> RedisCommand<[Redis.ClusterSlotRange]> {
        return try send("CLUSTER", ["SLOTS"]).map { reply, _ in
            guard case .array(.some(let ranges)) = reply else {
                throw UnexpectedReplyError("CLUSTER SLOTS: \(reply.preview)")
            }
            return try ranges.map { range in
                guard case .array(.some(let items)) = range, items.count >= 3 else {
                    throw UnexpectedReplyError("CLUSTER SLOTS entry: \(range.preview)")
                }
                let low = try Int(fromRESP: items[0], encoding: .utf8)
                let high = try Int(fromRESP: items[1], encoding: .utf8)
                let nodes = try items.dropFirst(2).map { node -> (host: String, port: Int, id: String?) in
                    guard case .array(.some(let parts)) = node, parts.count >= 2 else {
                        throw UnexpectedReplyError("CLUSTER SLOTS node: \(node.preview)")
                    }
                    return (
                        try String(fromRESP: parts[0], encoding: .utf8), try Int(fromRESP: parts[1], encoding: .utf8),
                        parts.count > 2 ? try String(fromRESP: parts[2], encoding: .utf8) : nil
                    )
                }
                return Redis.ClusterSlotRange(slots: low...high, nodes: nodes)
            }
        }
    }

    /// READONLY: this connection may read from a replica.
    @discardableResult
    public func readonly() throws -> RedisCommand<Bool> {
        try sendOK("READONLY", [])
    }

    /// READWRITE: ends READONLY on this connection.
    @discardableResult
    public func readwrite() throws -> RedisCommand<Bool> {
        try sendOK("READWRITE", [])
    }
}

extension Redis {
    /// One node as CLUSTER NODES describes it.
    public struct ClusterNode: Sendable, Hashable {
        /// The node ID.
        public var id: String
        /// `ip:port@busport`.
        public var address: String
        /// `myself`, `master`, `slave`, `fail?`, ...
        public var flags: Set<String>
        /// The master's id for a replica, `nil` for a master.
        public var masterID: String?
        /// `connected` or `disconnected`.
        public var linkState: String
        /// Slot ranges served (masters only), e.g. `0...5460`.
        public var slots: [ClosedRange<Int>]
    }

    /// A slot range and the nodes serving it (CLUSTER SLOTS): master first, then replicas.
    public struct ClusterSlotRange: Sendable, Hashable {
        /// The slots of the range.
        public var slots: ClosedRange<Int>
        /// Host, port and (Redis 7) node ID of each node serving it.
        public var nodes: [(host: String, port: Int, id: String?)]

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.slots == rhs.slots && lhs.nodes.map(\.port) == rhs.nodes.map(\.port)
                && lhs.nodes.map(\.host) == rhs.nodes.map(\.host)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(slots)
            for node in nodes { hasher.combine(node.port) }
        }
    }

    /// CLUSTER SETSLOT slot IMPORTING|MIGRATING|NODE id, or STABLE.
    public enum SlotState: Sendable {
        /// IMPORTING from the node with this ID.
        case importing(from: String)
        /// MIGRATING to the node with this ID.
        case migrating(to: String)
        /// NODE: the slot belongs to the node with this ID.
        case node(String)
        /// STABLE: clears IMPORTING and MIGRATING.
        case stable
    }
}
