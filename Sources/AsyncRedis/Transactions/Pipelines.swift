// Explicit pipelines, MULTI/EXEC blocks and optimistic (WATCH) transactions.
//
// All of them need every command of the batch to travel on one connection: on a `RedisConnection` that is the
// connection itself (a batch is written in one go, so concurrent callers cannot interleave with it); on a pool
// (`RedisPoolProtocol`) a connection is leased for the duration of the call and given back afterwards.

/// A pipeline in which some commands failed: besides `errors` (inherited, by index) it carries every reply.
public final class PipelineResultsError: PipelineError, @unchecked Sendable {
    /// One result per command of the batch, in order: the failures are the same as in `errors`.
    public let results: [Result<RESPValue, any Error>]

    public init(_ message: String, results: [Result<RESPValue, any Error>]) {
        self.results = results
        super.init(message, errors: failures(in: results))
    }
}

/// A MULTI/EXEC block in which some commands failed while EXEC ran (e.g. `WRONGTYPE`): the block was executed,
/// `errors` (inherited) holds the failures by index within the block and `results` every command's result.
public final class MultiExecResultsError: MultiExecError, @unchecked Sendable {
    public let results: [Result<RESPValue, any Error>]

    public init(_ message: String, results: [Result<RESPValue, any Error>]) {
        self.results = results
        super.init(message, errors: failures(in: results))
    }
}

/// The failed results, by index: what `PipelineError.errors` holds.
private func failures(in results: [Result<RESPValue, any Error>]) -> [(index: Int, error: any Error)] {
    results.enumerated().compactMap { index, result in
        if case .failure(let error) = result { return (index: index, error: error) }
        return nil
    }
}

/// What the body of `Redis.transaction(watching:)` may use: reads on the connection that holds the WATCH.
public struct TransactionContext: RedisCommandExecutor {
    /// The connection the transaction runs on (leased from the pool, or the `Redis`'s own connection).
    public let connection: RedisConnection
    /// 1 on the first attempt, 2 after the first conflict, ...
    public let attempt: Int

    public var encoding: RedisEncoding? { connection.encoding }

    /// Sends a command on the transaction's connection (typically a read of a watched key); the variadic and
    /// `as:` forms come from `RedisCommandExecutor`.
    public func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await connection.execute(command, arguments: arguments)
    }
}

extension Redis {
    // MARK: Explicit pipelines

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

    // MARK: MULTI/EXEC

    /// Runs `commands` atomically: MULTI, the commands and EXEC are written in one batch on one connection.
    /// Returns EXEC's replies, one per command.
    /// - Throws: `WatchVariableError` when EXEC answered nil (a watched key changed); `MultiExecError` with the
    ///   per-command errors when a command was rejected while queuing (EXECABORT, nothing ran);
    ///   `MultiExecResultsError` (a `MultiExecError`) when commands failed while EXEC ran (the others did run).
    public func multiExec(_ commands: [(String, [any RedisArgument])]) async throws -> [RESPValue] {
        try await withDedicatedConnection(routing: commands.map { (command: $0.0, arguments: $0.1) }) { connection in
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
                if case .error(let message) = item {
                    return .failure(ReplyError.make(fromServerMessage: String(buffer: message)))
                }
                return .success(item)
            }
            return (preambleReplies, .executed(execResults))
        }
    }

    // MARK: Optimistic locking

    /// WATCH (only meaningful on a single `RedisConnection` used by one task at a time: on a pool, each command
    /// may go out on a different connection; use `transaction(watching:)` there).
    @discardableResult
    public func watch(_ keys: String...) async throws -> Bool {
        try await watch(keys)
    }

    @discardableResult
    public func watch(_ keys: [String]) async throws -> Bool {
        guard !keys.isEmpty else { throw InvalidArgumentError("WATCH needs at least one key") }
        return try await sendOK("WATCH", keys)
    }

    /// UNWATCH (see `watch` about pools).
    @discardableResult
    public func unwatch() async throws -> Bool {
        try await sendOK("UNWATCH", [])
    }

    /// An optimistic transaction: on one connection, WATCH `keys`, run `body` (which may read through the
    /// context and returns the commands to run), then MULTI/commands/EXEC in one batch. When a watched key
    /// changed in between (EXEC answered nil), it starts over, up to `maxAttempts` times, then rethrows the
    /// `WatchVariableError`. The connection is left without WATCH on every path.
    ///
    /// On a pool, a connection is leased for the whole call. On a single `RedisConnection`, WATCH applies to the
    /// whole connection: other tasks must not use it for transactions at the same time.
    public func transaction(
        watching keys: [String], maxAttempts: Int = 10,
        _ body: (TransactionContext) async throws -> [(String, [any RedisArgument])]
    ) async throws -> [RESPValue] {
        guard maxAttempts >= 1 else { throw InvalidArgumentError("maxAttempts must be >= 1, got \(maxAttempts)") }
        guard !keys.isEmpty else { throw InvalidArgumentError("transaction(watching:) needs at least one key") }
        return try await withDedicatedConnection(routing: [(command: "WATCH", arguments: keys)]) { connection in
            var attempt = 1
            while true {
                do {
                    _ = try await connection.execute("WATCH", arguments: keys)
                    let commands = try await body(TransactionContext(connection: connection, attempt: attempt))
                    // EXEC (even a failing one) ends the WATCH.
                    return try await Redis.multiExec(commands, on: connection)
                } catch let error as WatchVariableError {
                    if attempt >= maxAttempts { throw error }
                    attempt += 1
                } catch {
                    await Redis.unwatchForCleanup(connection)
                    throw error
                }
            }
        }
    }

    /// UNWATCH even when the caller was cancelled (an unstructured task does not inherit cancellation); a
    /// connection that cannot be cleaned is closed, so that a pool drops it rather than reuse a watching one.
    static func unwatchForCleanup(_ connection: RedisConnection) async {
        let cleaned = await Task { () -> Bool in
            (try? await connection.execute("UNWATCH", arguments: [])) != nil
        }.value
        if !cleaned { connection.close() }
    }

    // MARK: Connection for a batch

    /// Runs `body` on one connection: the `RedisConnection` itself, or one leased from the pool and released on
    /// every path; on a cluster, from the node serving the one slot of `routing`'s keys.
    func withDedicatedConnection<T>(
        routing commands: [(command: String, arguments: [any RedisArgument])] = [],
        _ body: (RedisConnection) async throws -> T
    ) async throws -> T {
        if let cluster = connection as? RedisCluster {
            return try await cluster.withConnection(forCommands: commands, body)
        }
        if let single = connection as? RedisConnection {
            return try await body(single)
        }
        guard let pool = connection as? any RedisPoolProtocol else {
            throw InvalidArgumentError(
                "pipelines and transactions need a RedisConnection or a pool, not \(Swift.type(of: connection))")
        }
        let leased = try await pool.acquire()
        do {
            let result = try await body(leased)
            pool.release(leased)
            return result
        } catch {
            pool.release(leased)
            throw error
        }
    }
}
