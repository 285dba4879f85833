// `Pipeline` and `MultiExec` (aioredis `Pipeline` / `MultiExec`): queue commands, then `execute()` sends them in
// one write on one connection (leased from the pool for the call when `Redis` wraps a pool).

/// Commands sent together in one write, not atomically: each command succeeds or fails on its own.
///
/// ```swift
/// let pipe = redis.pipeline()
/// let visits = pipe.queue { try await $0.incr("visits") }
/// let name = pipe.queue { try await $0.get("name") }
/// try await pipe.execute()
/// print(try await visits.value, try await name.value ?? "-")
/// ```
public final class Pipeline: RedisBatch, @unchecked Sendable {
    /// Sends every queued command in one write and returns their raw replies in queue order; each pending reply
    /// is answered as well. Scripts queued through `RedisScript.run` are loaded (SCRIPT LOAD) in the same write,
    /// ahead of the commands, so their EVALSHA cannot meet `NOSCRIPT`.
    /// - Throws: `PipelineResultsError` (a `PipelineError`) when any command failed: `errors` holds each failed
    ///   command's index and error, `results` every outcome, and the other pending replies stay readable. A lost
    ///   connection fails the whole batch with `ConnectionClosedError`.
    @discardableResult
    public func execute() async throws -> [RESPValue] {
        let plan = BatchPlan(try await queued.takeSlots())
        let results: [Result<RESPValue, any Error>]
        do {
            let wire = plan.scriptLoads + plan.commands.map(\.command)
            let replies =
                wire.isEmpty
                ? []
                : try await target.sendBatch(wire.map { (command: $0.name, arguments: $0.arguments) })
            results = plan.results(
                scriptLoads: Array(replies[..<plan.scriptLoads.count]),
                commands: replies[plan.scriptLoads.count...].map { $0.mapError { $0 } })
        } catch {
            queued.fail(with: error)
            throw error
        }
        queued.deliver(results)
        let replies = results.compactMap { try? $0.get() }
        guard replies.count == results.count else {
            throw PipelineResultsError(
                "\(results.count - replies.count) of \(results.count) pipelined commands failed", results: results)
        }
        return replies
    }
}

/// Commands run atomically between MULTI and EXEC, written in one batch on one connection.
///
/// ```swift
/// let tx = redis.multiExec()
/// let count = tx.queue { try await $0.incr("visits") }
/// tx.queue { try await $0.expire("visits", 60) }
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
        let plan = BatchPlan(try await queued.takeSlots())
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
            let (scriptLoads, outcome) = try await target.withDedicatedConnection(routing: routing) { connection in
                try await Redis.sendMultiExec(plan.commands.map(\.command), on: connection, preamble: plan.scriptLoads)
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

/// A taken batch, arranged for sending: the commands, the calls that failed before sending one, and the scripts
/// to load ahead of the commands.
struct BatchPlan {
    let slotCount: Int
    private(set) var commands: [(slot: Int, command: QueuedCommand)] = []
    /// Calls that finished without sending a command, by slot.
    private(set) var failures: [(index: Int, error: any Error)] = []
    /// SCRIPT LOAD for each distinct script an EVALSHA of the batch runs, in first-use order.
    private(set) var scriptLoads: [QueuedCommand] = []
    private var scriptLoadIndex: [String: Int] = [:]

    init(_ slots: [QueuedCommandsStateMachine.Slot]) {
        slotCount = slots.count
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .command(let command):
                commands.append((slot: index, command: command))
                if let script = command.script, scriptLoadIndex[script.sha1] == nil {
                    scriptLoadIndex[script.sha1] = scriptLoads.count
                    scriptLoads.append(QueuedCommand(name: "SCRIPT", arguments: ["LOAD", script.source]))
                }
            case .noCommand(let error):
                failures.append((index: index, error: error))
            case .awaitingCommand:  // only after cancellation, which fails the batch before it is planned
                failures.append((index: index, error: CancellationError()))
            }
        }
    }

    /// One outcome per slot. A script that failed to load (a Lua syntax error, say) reports that error rather than
    /// the NOSCRIPT its EVALSHA met.
    func results(scriptLoads loadReplies: [Result<RESPValue, ReplyError>], commands replies: [Result<RESPValue, any Error>])
        -> [Result<RESPValue, any Error>]
    {
        var results = [Result<RESPValue, any Error>](
            repeating: .failure(InvalidArgumentError("no reply")), count: slotCount)
        for (index, error) in failures { results[index] = .failure(error) }
        for ((slot, command), reply) in zip(commands, replies) {
            results[slot] = reply
            if let script = command.script, case .failure(let error as ReplyError) = reply, error.code == "NOSCRIPT",
                let load = scriptLoadIndex[script.sha1], case .failure(let loadError) = loadReplies[load]
            {
                results[slot] = .failure(loadError)
            }
        }
        return results
    }
}

extension Redis {
    /// A new pipeline on this `Redis`'s connection (or pool); queue commands on it, then `execute()`.
    public func pipeline() -> Pipeline {
        Pipeline(target: self)
    }

    /// A new MULTI/EXEC block on this `Redis`'s connection (or pool); queue commands on it, then `execute()`.
    public func multiExec() -> MultiExec {
        MultiExec(target: self)
    }

    /// Queues what `build` adds on a new pipeline and executes it: `try await redis.pipeline { $0.add("PING") }`.
    @discardableResult
    public func pipeline(_ build: (Pipeline) async throws -> Void) async throws -> [RESPValue] {
        let pipeline = pipeline()
        try await build(pipeline)
        return try await pipeline.execute()
    }

    /// Queues what `build` adds on a new MULTI/EXEC block and executes it.
    @discardableResult
    public func multiExec(_ build: (MultiExec) async throws -> Void) async throws -> [RESPValue] {
        let block = multiExec()
        try await build(block)
        return try await block.execute()
    }
}
