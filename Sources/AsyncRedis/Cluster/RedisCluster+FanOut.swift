import NIOCore

extension RedisCluster {
    /// Sends a command to every master at once and combines the replies; the first error is thrown (the other
    /// masters may have run the command: FLUSHALL on some of them, say).
    func executeOnEveryMaster(
        _ command: String, _ arguments: [any RedisArgument], aggregation: ClusterAggregation
    ) async throws -> RESPValue {
        let masters = try await currentMasters()
        let replies = try await withThrowingTaskGroup(of: (Int, RESPValue).self) { group in
            for (index, master) in masters.enumerated() {
                group.addTask {
                    (index, try await self.executeRouted(command, arguments, slot: nil, onNode: master))
                }
            }
            var replies = [RESPValue?](repeating: nil, count: masters.count)
            for try await (index, reply) in group { replies[index] = reply }
            return replies.compactMap { $0 }
        }
        return try ClusterRouting.aggregate(replies, aggregation)
    }

    /// The masters in slot order, reading the layout first if none is known.
    func currentMasters() async throws -> [ClusterEndpoint] {
        var masters = self.masters
        if masters.isEmpty {
            try await refreshTopology()
            masters = self.masters
        }
        guard !masters.isEmpty else { throw ClusterNodeUnavailableError("the cluster layout lists no master") }
        return masters
    }

    /// A keyless command on one given node: no redirection applies; a node that cannot be reached gets the same
    /// retries as any command.
    func executeRouted(_ command: String, _ arguments: [any RedisArgument], slot: Int?, onNode endpoint: ClusterEndpoint)
        async throws -> RESPValue
    {
        do {
            return try await pool(for: endpoint).execute(command, arguments: arguments)
        } catch let closed as ConnectionClosedError where !isClosed {
            scheduleRefresh()
            throw closed
        }
    }

    /// One SCAN step over the whole cluster. The cursor the caller sees packs the master's index with that
    /// master's own cursor (`cursor * masters + index`): a scan visits the masters one after the other, in slot
    /// order, and ends (cursor 0) after the last one. As with SCAN on one server, keys may be seen twice, and a
    /// scan that spans a resharding may miss keys that moved.
    func scanStep(_ arguments: [any RedisArgument]) async throws -> RESPValue {
        let masters = try await currentMasters()
        let packed = arguments.first.flatMap { RedisArgumentPayload.integer(RedisArgumentPayload.bytes(of: $0)) } ?? 0
        guard packed >= 0 else { throw InvalidArgumentError("SCAN cursor must be >= 0, got \(packed)") }
        let index = packed % masters.count
        let nodeCursor = packed / masters.count
        let reply = try await executeRouted(
            "SCAN", [nodeCursor] + Array(arguments.dropFirst()), slot: nil, onNode: masters[index])
        guard let parts = reply.clusterArray, parts.count == 2, let next = parts[0].clusterInteger else {
            throw UnexpectedReplyError("SCAN answered \(reply.preview)")
        }
        let nextPacked: Int
        if next != 0 {
            guard next <= (Int.max - index) / masters.count else {
                throw UnexpectedReplyError("SCAN cursor \(next) of \(masters[index]) is too large to combine")
            }
            nextPacked = next * masters.count + index
        } else {
            nextPacked = index + 1 < masters.count ? index + 1 : 0
        }
        return .array([.bulkString(ByteBuffer(string: String(nextPacked))), parts[1]])
    }
}
