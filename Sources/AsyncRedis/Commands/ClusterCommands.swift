/// Cluster administration (aioredis `ClusterCommandsMixin`): commands sent to one node of a Redis Cluster.
/// Routing keys across nodes is the Cluster client's work, not these commands'.
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

    /// CLUSTER ADDSLOTS: assigns slots to this node.
    @discardableResult
    public func clusterAddSlots(_ slots: Int...) async throws -> Bool {
        try await sendOK("CLUSTER", ["ADDSLOTS"] + slots)
    }

    /// CLUSTER DELSLOTS: forgets slots on this node.
    @discardableResult
    public func clusterDelSlots(_ slots: Int...) async throws -> Bool {
        try await sendOK("CLUSTER", ["DELSLOTS"] + slots)
    }

    /// CLUSTER COUNT-FAILURE-REPORTS for a node.
    public func clusterCountFailureReports(_ nodeID: String) async throws -> Int {
        try await send("CLUSTER", ["COUNT-FAILURE-REPORTS", nodeID], as: Int.self)
    }

    /// CLUSTER COUNTKEYSINSLOT: keys in a slot on this node.
    public func clusterCountKeysInSlot(_ slot: Int) async throws -> Int {
        try await send("CLUSTER", ["COUNTKEYSINSLOT", slot], as: Int.self)
    }

    /// CLUSTER FAILOVER, optionally FORCE or TAKEOVER; sent to a replica.
    @discardableResult
    public func clusterFailover(force: Bool = false, takeover: Bool = false) async throws -> Bool {
        guard !(force && takeover) else { throw InvalidArgumentError("choose FORCE or TAKEOVER, not both") }
        let arguments: [any RedisArgument] = ["FAILOVER"] + (force ? ["FORCE"] : takeover ? ["TAKEOVER"] : [])
        return try await sendOK("CLUSTER", arguments)
    }

    /// CLUSTER FORGET: removes a node from this node's table.
    @discardableResult
    public func clusterForget(_ nodeID: String) async throws -> Bool {
        try await sendOK("CLUSTER", ["FORGET", nodeID])
    }

    /// CLUSTER GETKEYSINSLOT: up to `count` key names of a slot.
    public func clusterGetKeysInSlot(_ slot: Int, count: Int) async throws -> [String] {
        try await send("CLUSTER", ["GETKEYSINSLOT", slot, count], as: [String].self)
    }

    /// CLUSTER INFO as a dictionary (`cluster_state`, `cluster_slots_assigned`, ...).
    public func clusterInfo() async throws -> [String: String] {
        let text = try await send("CLUSTER", ["INFO"], as: String.self, encoding: .utf8)
        var info: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            info[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return info
    }

    /// The hash slot a key maps to.
    public func clusterKeySlot(_ key: String) async throws -> Int {
        try await send("CLUSTER", ["KEYSLOT", key], as: Int.self)
    }

    /// CLUSTER MEET: connects this node to another.
    @discardableResult
    public func clusterMeet(host: String, port: Int) async throws -> Bool {
        try await sendOK("CLUSTER", ["MEET", host, port])
    }

    /// This node's id.
    public func clusterMyID() async throws -> String {
        try await send("CLUSTER", ["MYID"], as: String.self)
    }

    /// CLUSTER NODES, parsed.
    public func clusterNodes() async throws -> [ClusterNode] {
        let text = try await send("CLUSTER", ["NODES"], as: String.self, encoding: .utf8)
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
            return ClusterNode(
                id: fields[0], address: fields[1], flags: Set(fields[2].split(separator: ",").map(String.init)),
                masterID: fields[3] == "-" ? nil : fields[3], linkState: fields[7], slots: slots)
        }
    }

    /// CLUSTER REPLICATE: makes this node a replica of `nodeID`.
    @discardableResult
    public func clusterReplicate(_ nodeID: String) async throws -> Bool {
        try await sendOK("CLUSTER", ["REPLICATE", nodeID])
    }

    /// CLUSTER RESET SOFT (default) or HARD.
    @discardableResult
    public func clusterReset(hard: Bool = false) async throws -> Bool {
        try await sendOK("CLUSTER", ["RESET", hard ? "HARD" : "SOFT"])
    }

    /// CLUSTER SAVECONFIG: writes nodes.conf.
    @discardableResult
    public func clusterSaveConfig() async throws -> Bool {
        try await sendOK("CLUSTER", ["SAVECONFIG"])
    }

    /// CLUSTER SET-CONFIG-EPOCH on a fresh node.
    @discardableResult
    public func clusterSetConfigEpoch(_ epoch: Int) async throws -> Bool {
        try await sendOK("CLUSTER", ["SET-CONFIG-EPOCH", epoch])
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

    /// CLUSTER SETSLOT: changes the state of a slot.
    @discardableResult
    public func clusterSetSlot(_ slot: Int, _ state: SlotState) async throws -> Bool {
        let tail: [any RedisArgument]
        switch state {
        case .importing(let id): tail = ["IMPORTING", id]
        case .migrating(let id): tail = ["MIGRATING", id]
        case .node(let id): tail = ["NODE", id]
        case .stable: tail = ["STABLE"]
        }
        return try await sendOK("CLUSTER", ["SETSLOT", slot] + tail)
    }

    /// The replicas of a master (CLUSTER REPLICAS; aioredis `cluster_slaves`).
    public func clusterReplicas(_ nodeID: String) async throws -> [ClusterNode] {
        let lines = try await send("CLUSTER", ["REPLICAS", nodeID], as: [String].self, encoding: .utf8)
        return lines.compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 8 else { return nil }
            return ClusterNode(
                id: fields[0], address: fields[1], flags: Set(fields[2].split(separator: ",").map(String.init)),
                masterID: fields[3] == "-" ? nil : fields[3], linkState: fields[7], slots: [])
        }
    }

    /// CLUSTER SLOTS, typed.
    public func clusterSlots() async throws -> [ClusterSlotRange] {
        let reply = try await send("CLUSTER", ["SLOTS"])
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
            return ClusterSlotRange(slots: low...high, nodes: nodes)
        }
    }

    /// READONLY: this connection may read from a replica.
    @discardableResult
    public func readonly() async throws -> Bool {
        try await sendOK("READONLY", [])
    }

    /// READWRITE: ends READONLY on this connection.
    @discardableResult
    public func readwrite() async throws -> Bool {
        try await sendOK("READWRITE", [])
    }
}
