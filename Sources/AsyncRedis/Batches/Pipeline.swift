// `Pipeline` (aioredis `Pipeline`): queue commands, then `execute()` sends them in one write on one connection
// (leased from the pool for the call when `Redis` wraps a pool).

/// Commands sent together in one write, not atomically: each command succeeds or fails on its own.
///
/// ```swift
/// let pipe = redis.pipeline()
/// let visits = pipe.queue { try $0.incr("visits") }
/// let name = pipe.queue { try $0.get("name") }
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
        let plan = BatchPlan(try queued.takeSlots())
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

extension Redis {
    /// A new pipeline on this `Redis`'s connection (or pool); queue commands on it, then `execute()`.
    public func pipeline() -> Pipeline {
        Pipeline(target: self)
    }

    /// Queues what `build` adds on a new pipeline and executes it: `try await redis.pipeline { $0.add("PING") }`.
    @discardableResult
    public func pipeline(_ build: (Pipeline) async throws -> Void) async throws -> [RESPValue] {
        let pipeline = pipeline()
        try await build(pipeline)
        return try await pipeline.execute()
    }
}
