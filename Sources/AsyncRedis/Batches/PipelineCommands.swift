// Explicit pipelines given as a list of commands (the queued form is `Pipeline`).

extension Redis {
    /// Sends `commands` in one write and returns one result per command, in order. Error replies are
    /// `.failure`s (never thrown); a lost connection throws for the whole batch. An empty list sends nothing.
    public func pipelineResults(_ commands: [(String, [any RedisArgument])]) async throws
        -> [Result<RESPValue, ReplyError>]
    {
        guard !commands.isEmpty else { return [] }
        return try await sendBatch(commands.map { (command: $0.0, arguments: $0.1) })
    }

    /// Sends `commands` in one write and returns every reply, in order.
    /// - Throws: `PipelineResultsError` (a `PipelineError`) when any command answered an error: `errors` holds
    ///   each failed command's index and `ReplyError`, `results` every reply.
    public func pipeline(_ commands: [(String, [any RedisArgument])]) async throws -> [RESPValue] {
        let results = try await pipelineResults(commands)
        var replies: [RESPValue] = []
        replies.reserveCapacity(results.count)
        var failures = 0
        for result in results {
            switch result {
            case .success(let reply): replies.append(reply)
            case .failure: failures += 1
            }
        }
        guard failures == 0 else {
            throw PipelineResultsError(
                "\(failures) of \(results.count) pipelined commands failed", results: results.map { $0.mapError { $0 } })
        }
        return replies
    }
}
