// `MultiExec` (aioredis `MultiExec`): queue commands, then `execute()` sends them between MULTI and EXEC in one
// write on one connection (leased from the pool for the call when `Redis` wraps a pool).

/// Commands run atomically between MULTI and EXEC, written in one batch on one connection.
///
/// ```swift
/// let tx = redis.multiExec()
/// let count = tx.queue { try $0.incr("visits") }
/// tx.queue { try $0.expire("visits", 60) }
/// try await tx.execute()
/// print(try await count.value)
/// ```
public final class MultiExec: RedisBatch, @unchecked Sendable {
    /// Sends MULTI, the queued commands and EXEC in one write and returns EXEC's replies in queue order; each
    /// pending reply is answered with its command's own outcome.
    /// - Throws: `WatchVariableError` when a watched key changed (nothing ran; every pending reply throws it);
    ///   `MultiExecError` when the server rejected a command while queuing (EXECABORT: nothing ran), or when a
    ///   queued call failed before sending its command (then nothing is sent at all);
    ///   `MultiExecResultsError` (a `MultiExecError`) when commands failed while EXEC ran (the others did run).
    @discardableResult
    public func execute() async throws -> [RESPValue] {
        let plan = BatchPlan(try queued.takeSlots())
        guard plan.failures.isEmpty else {
            let error = MultiExecError(
                "\(plan.failures.count) queued calls failed before sending their command; the block was not sent",
                errors: plan.failures)
            queued.fail(with: error)
            throw error
        }
        guard !plan.commands.isEmpty else { return [] }
        let results: [Result<RESPValue, any Error>]
        do {
            let routing = plan.commands.map { (command: $0.command.name, arguments: $0.command.arguments) }
            let onCluster = target.connection is RedisCluster
            let (scriptLoads, outcome) = try await target.withBatchConnection(routing: routing) { connection in
                let sent = try await Redis.sendMultiExec(
                    plan.commands.map(\.command), on: connection, preamble: plan.scriptLoads)
                // A block a cluster node refused because it does not serve the slot is sent again by the cluster.
                if onCluster, case .aborted(let error) = sent.outcome, error.clusterRefusal != nil { throw error }
                return sent
            }
            switch outcome {
            case .executed(let execResults):
                results = plan.results(scriptLoads: scriptLoads, commands: execResults)
            case .aborted(let error):
                var perCommand = [Result<RESPValue, any Error>](repeating: .failure(error), count: plan.commands.count)
                for (index, commandError) in error.errors where index < perCommand.count {
                    perCommand[index] = .failure(commandError)
                }
                queued.deliver(plan.results(scriptLoads: scriptLoads, commands: perCommand))
                throw error
            case .watchedKeyChanged(let error):
                throw error
            }
        } catch {
            queued.fail(with: error)
            throw error
        }
        queued.deliver(results)
        return try Redis.MultiExecOutcome.replies(results)
    }
}

extension Redis {
    /// A new MULTI/EXEC block on this `Redis`'s connection (or pool); queue commands on it, then `execute()`.
    public func multiExec() -> MultiExec {
        MultiExec(target: self)
    }

    /// Queues what `build` adds on a new MULTI/EXEC block and executes it.
    @discardableResult
    public func multiExec(_ build: (MultiExec) async throws -> Void) async throws -> [RESPValue] {
        let block = multiExec()
        try await build(block)
        return try await block.execute()
    }
}
