// MULTI/EXEC blocks given as a list of commands (the queued form is `MultiExec`), and the one function that
// writes a block and reads what EXEC did, which `MultiExec` and `transaction(watching:)` share too.

extension Redis {
    /// Runs `commands` atomically: MULTI, the commands and EXEC are written in one batch on one connection.
    /// Returns EXEC's replies, one per command.
    /// - Throws: `WatchVariableError` when EXEC answered nil (a watched key changed); `MultiExecError` with the
    ///   per-command errors when a command was rejected while queuing (EXECABORT, nothing ran);
    ///   `MultiExecResultsError` (a `MultiExecError`) when commands failed while EXEC ran (the others did run).
    public func multiExec(_ commands: [(String, [any RedisArgument])]) async throws -> [RESPValue] {
        try await withBatchConnection(routing: commands.map { (command: $0.0, arguments: $0.1) }) { connection in
            try await Redis.multiExec(commands, on: connection)
        }
    }

    static func multiExec(_ commands: [(String, [any RedisArgument])], on connection: RedisConnection)
        async throws -> [RESPValue]
    {
        let block = commands.map { QueuedCommand(name: $0.0, arguments: $0.1) }
        switch try await sendMultiExec(block, on: connection).outcome {
        case .executed(let results):
            return try MultiExecOutcome.replies(results)
        case .aborted(let error):
            throw error
        case .watchedKeyChanged(let error):
            throw error
        }
    }

    /// What EXEC did with a block.
    enum MultiExecOutcome {
        /// The block ran: one result per command (a command may have failed on its own, e.g. WRONGTYPE).
        case executed([Result<RESPValue, any Error>])
        /// EXECABORT: a command was rejected while queuing and nothing ran; `errors` holds the rejected ones.
        case aborted(MultiExecError)
        /// EXEC answered nil: a watched key changed and nothing ran.
        case watchedKeyChanged(WatchVariableError)

        /// The replies of a block that ran, or `MultiExecResultsError` if any command in it failed.
        static func replies(_ results: [Result<RESPValue, any Error>]) throws -> [RESPValue] {
            let replies = results.compactMap { try? $0.get() }
            guard replies.count == results.count else {
                throw MultiExecResultsError(
                    "\(results.count - replies.count) of \(results.count) commands failed inside EXEC",
                    results: results)
            }
            return replies
        }
    }

    /// Writes `preamble`, MULTI, `block` and EXEC in one batch on `connection`; returns the preamble's replies and
    /// what EXEC did.
    static func sendMultiExec(_ block: [QueuedCommand], on connection: RedisConnection, preamble: [QueuedCommand] = [])
        async throws -> (preamble: [Result<RESPValue, ReplyError>], outcome: MultiExecOutcome)
    {
        guard !connection.inTransaction else {
            throw InvalidArgumentError("the connection is already inside MULTI; EXEC or DISCARD it first")
        }
        var batch = preamble.map { (command: $0.name, arguments: $0.arguments) }
        batch.reserveCapacity(preamble.count + block.count + 2)
        batch.append((command: "MULTI", arguments: []))
        for command in block { batch.append((command: command.name, arguments: command.arguments)) }
        batch.append((command: "EXEC", arguments: []))
        let replies = try await connection.executeBatch(batch)
        let preambleReplies = Array(replies[..<preamble.count])
        let results = replies[preamble.count...]
        // e.g. MULTI nested in a transaction opened by hand with execute("MULTI")
        if case .failure(let error) = results[results.startIndex] { throw error }
        switch results[results.endIndex - 1] {
        case .failure(let execError):
            var errors: [(index: Int, error: any Error)] = []
            for (index, result) in results.dropFirst().dropLast().enumerated() {
                if case .failure(let error) = result { errors.append((index: index, error: error)) }
            }
            if errors.isEmpty { errors.append((index: block.count, error: execError)) }
            return (preambleReplies, .aborted(MultiExecError(execError.message, errors: errors)))
        case .success(let reply):
            if reply.isNull {
                let error = WatchVariableError("a watched key was modified; the transaction was not executed", errors: [])
                return (preambleReplies, .watchedKeyChanged(error))
            }
            let items: [RESPValue]
            switch reply {
            case .array(.some(let values)): items = values
            case .attribute(_, .array(.some(let values))): items = values
            default: throw UnexpectedReplyError("EXEC answered \(reply.preview)")
            }
            let execResults = items.map { item -> Result<RESPValue, any Error> in
                ReplyError.result(of: item).mapError { $0 }
            }
            return (preambleReplies, .executed(execResults))
        }
    }
}
