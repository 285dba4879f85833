extension RedisCluster {
    /// An explicit pipeline on a cluster: the commands are grouped by node, each group is sent in one write on a
    /// connection of that node, the groups concurrently; the replies come back in the caller's order. A command
    /// answered MOVED, ASK, TRYAGAIN or CLUSTERDOWN (it did not run) is then sent again alone, with the rules of
    /// `execute`. Commands meant for every master (FLUSHALL, SCRIPT LOAD, ...) run alone, before the groups.
    /// A command whose keys span slots throws `CrossSlotError` before anything is sent; a lost connection throws
    /// for the whole pipeline, as on a single server.
    func executeBatch(_ commands: [(command: String, arguments: [any RedisArgument])]) async throws
        -> [Result<RESPValue, ReplyError>]
    {
        let routes = try commands.map { try ClusterRouting.route($0.command, $0.arguments) }
        _ = try await currentMasters()
        var results = [Result<RESPValue, ReplyError>?](repeating: nil, count: commands.count)
        var groups: [ClusterEndpoint: [Int]] = [:]
        for (index, route) in routes.enumerated() {
            switch route {
            case .slot(let slot):
                let readOnly = RedisCommandTable.traits(commands[index].command).isRetrySafe
                groups[try node(for: slot, readOnly: readOnly, replicas: true), default: []].append(index)
            case .anyMaster:
                groups[try node(for: nil, readOnly: false, replicas: false), default: []].append(index)
            case .everyMaster, .scan:
                results[index] = try await replyResult {
                    try await self.execute(commands[index].command, arguments: commands[index].arguments)
                }
            }
        }
        let sent = try await withThrowingTaskGroup(of: [(Int, Result<RESPValue, ReplyError>, ClusterEndpoint)].self) {
            group in
            for (endpoint, indices) in groups {
                group.addTask {
                    var retry = ClusterRetryClock(timeout: self.configuration.retryTimeout)
                    while true {
                        do {
                            let replies = try await self.pool(for: endpoint).withConnection { connection in
                                try await connection.executeBatch(indices.map { commands[$0] })
                            }
                            return zip(indices, replies).map { ($0, $1, endpoint) }
                        } catch let error as ConnectionClosedError {
                            // The node may have failed over: the next commands should find the new one. A part
                            // that never got a connection was not sent, so it is tried again.
                            self.scheduleRefresh()
                            guard error.neverSent, try await retry.pause() else { throw error }
                        }
                    }
                }
            }
            var all: [(Int, Result<RESPValue, ReplyError>, ClusterEndpoint)] = []
            for try await part in group { all += part }
            return all
        }
        for (index, result, endpoint) in sent {
            results[index] = result
            if case .failure(let error) = result, Self.isRetriedAlone(error) {
                let command = commands[index]
                let slot: Int? = if case .slot(let slot) = routes[index] { slot } else { nil }
                results[index] = try await replyResult {
                    try await self.executeRouted(
                        command.command, command.arguments, slot: slot, firstError: error, firstEndpoint: endpoint)
                }
            }
        }
        return results.map { $0 ?? .failure(ReplyError(code: "ERR", message: "ERR no reply")) }
    }

    /// The reply errors a pipelined command meets when it reached the wrong node or the cluster is not ready:
    /// the command did not run.
    static func isRetriedAlone(_ error: ReplyError) -> Bool {
        ["MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN"].contains(error.code)
    }

    /// A reply error as a `.failure`, anything else thrown.
    private func replyResult(_ body: () async throws -> RESPValue) async throws -> Result<RESPValue, ReplyError> {
        do {
            return .success(try await body())
        } catch let error as ReplyError {
            return .failure(error)
        }
    }
}
