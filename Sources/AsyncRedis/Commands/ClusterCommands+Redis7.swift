// CLUSTER subcommands added in Redis 7 (and the old CLUSTER SLAVES and ASKING), for cluster administration.
extension RedisCommands {
    /// CLUSTER ADDSLOTSRANGE: assigns the slot ranges to this node (Redis 7).
    @discardableResult
    public func clusterAddSlotsRange(_ ranges: [ClosedRange<Int>]) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["ADDSLOTSRANGE"] + (try Redis.slotRanges(ranges)))
    }

    /// CLUSTER DELSLOTSRANGE: forgets the slot ranges on this node (Redis 7).
    @discardableResult
    public func clusterDelSlotsRange(_ ranges: [ClosedRange<Int>]) throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["DELSLOTSRANGE"] + (try Redis.slotRanges(ranges)))
    }

    /// CLUSTER FLUSHSLOTS: forgets every slot of this node (only on a node without keys).
    @discardableResult
    public func clusterFlushSlots() throws -> RedisCommand<Bool> {
        try sendOK("CLUSTER", ["FLUSHSLOTS"])
    }

    /// CLUSTER BUMPEPOCH: gives this node a new config epoch; `BUMPED` or `STILL` and the epoch, as the server
    /// words it.
    public func clusterBumpEpoch() throws -> RedisCommand<String> {
        try send("CLUSTER", ["BUMPEPOCH"], as: String.self, encoding: .utf8)
    }

    /// CLUSTER LINKS: this node's links on the cluster bus, one map (`direction`, `node`, `create-time`, `events`,
    /// `send-buffer-allocated`, ...) per link (Redis 7).
    public func clusterLinks() throws -> RedisCommand<[[String: RESPValue]]> {
        try send("CLUSTER", ["LINKS"], as: [[String: RESPValue]].self, encoding: .utf8)
    }

    /// CLUSTER SHARDS: the cluster's shards, each a map with `slots` (flat start/end pairs) and `nodes` (one map
    /// per node: `id`, `endpoint`, `ip`, `port`, `role`, `health`, ...) (Redis 7).
    public func clusterShards() throws -> RedisCommand<[[String: RESPValue]]> {
        try send("CLUSTER", ["SHARDS"], as: [[String: RESPValue]].self, encoding: .utf8)
    }

    /// CLUSTER SLAVES: CLUSTER REPLICAS under its old name, the replicas of a master.
    public func clusterSlaves(_ nodeID: String) throws -> RedisCommand<[Redis.ClusterNode]> {
        renamed(try clusterReplicas(nodeID), "CLUSTER", firstArgument: "SLAVES")
    }

    /// ASKING: the next command may touch a slot this node is importing (what a cluster client sends after an ASK
    /// redirection; `RedisCluster` does it itself).
    @discardableResult
    public func asking() throws -> RedisCommand<Bool> {
        try sendOK("ASKING", [])
    }
}

extension Redis {
    /// `start end` pairs of slot ranges, each within 0...16383.
    static func slotRanges(_ ranges: [ClosedRange<Int>]) throws -> [any RedisArgument] {
        guard !ranges.isEmpty else { throw InvalidArgumentError("at least one slot range is needed") }
        return try ranges.flatMap { range -> [any RedisArgument] in
            guard range.lowerBound >= 0, range.upperBound < 16384 else {
                throw InvalidArgumentError("slot range \(range) is outside 0...16383")
            }
            return [range.lowerBound, range.upperBound]
        }
    }
}
