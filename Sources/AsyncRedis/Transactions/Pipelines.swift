// Explicit pipelines, MULTI/EXEC blocks and optimistic (WATCH) transactions.
//
// All of them need every command of the batch to travel on one connection: on a `RedisConnection` that is the
// connection itself (a batch is written in one go, so concurrent callers cannot interleave with it); on a pool
// (`RedisPoolProtocol`) a connection is leased for the duration of the call and given back afterwards.

/// A pipeline in which some commands failed: besides `errors` (inherited, by index) it carries every reply.
public final class PipelineResultsError: PipelineError, @unchecked Sendable {
    /// One result per command of the batch, in order: the failures are the same as in `errors`.
    public let results: [Result<RESPValue, ReplyError>]

    public init(_ message: String, results: [Result<RESPValue, ReplyError>]) {
        self.results = results
        var errors: [(index: Int, error: any Error)] = []
        for (index, result) in results.enumerated() {
            if case .failure(let error) = result { errors.append((index: index, error: error)) }
        }
        super.init(message, errors: errors)
    }
}

/// A MULTI/EXEC block in which some commands failed while EXEC ran (e.g. `WRONGTYPE`): the block was executed,
/// `errors` (inherited) holds the failures by index within the block and `results` every command's result.
public final class MultiExecResultsError: MultiExecError, @unchecked Sendable {
    public let results: [Result<RESPValue, ReplyError>]

    public init(_ message: String, results: [Result<RESPValue, ReplyError>]) {
        self.results = results
        var errors: [(index: Int, error: any Error)] = []
        for (index, result) in results.enumerated() {
            if case .failure(let error) = result { errors.append((index: index, error: error)) }
        }
        super.init(message, errors: errors)
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

/// The commands of a pipeline or MULTI/EXEC block, collected by `Redis.pipeline { }` / `Redis.multiExec { }`.
public struct RedisCommandBatch: Sendable {
    public private(set) var commands: [(String, [any RedisArgument])] = []

    public init() {}

    /// Appends a command; its reply will be at index `commands.count - 1` of the result.
    public mutating func add(_ command: String, _ arguments: any RedisArgument...) {
        commands.append((command, arguments))
    }

    public mutating func add(_ command: String, arguments: [any RedisArgument]) {
        commands.append((command, arguments))
    }
}

extension Redis {
    // MARK: Explicit pipelines

    /// `pipeline(_:)` with the commands added by `build`: `redis.pipeline { $0.add("SET", "k", 1) }`.
    public func pipeline(_ build: (inout RedisCommandBatch) throws -> Void) async throws -> [RESPValue] {
        var batch = RedisCommandBatch()
        try build(&batch)
        return try await pipeline(batch.commands)
    }

    /// `multiExec(_:)` with the commands added by `build`.
    public func multiExec(_ build: (inout RedisCommandBatch) throws -> Void) async throws -> [RESPValue] {
        var batch = RedisCommandBatch()
        try build(&batch)
        return try await multiExec(batch.commands)
    }

    /// Sends `commands` in one write and returns one result per command, in order. Error replies are
    /// `.failure`s (never thrown); a lost connection throws for the whole batch. An empty list sends nothing.
    public func pipelineResults(_ commands: [(String, [any RedisArgument])]) async throws
        -> [Result<RESPValue, ReplyError>]
    {
        guard !commands.isEmpty else { return [] }
        let batch = commands.map { (command: $0.0, arguments: $0.1) }
        return try await withDedicatedConnection { connection in
            try await connection.executeBatch(batch)
        }
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
            throw PipelineResultsError("\(failures) of \(results.count) pipelined commands failed", results: results)
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
        try await withDedicatedConnection { connection in
            try await Redis.multiExec(commands, on: connection)
        }
    }

    static func multiExec(_ commands: [(String, [any RedisArgument])], on connection: RedisConnection)
        async throws -> [RESPValue]
    {
        guard !connection.inTransaction else {
            throw InvalidArgumentError("the connection is already inside MULTI; EXEC or DISCARD it first")
        }
        var batch: [(command: String, arguments: [any RedisArgument])] = [(command: "MULTI", arguments: [])]
        batch.reserveCapacity(commands.count + 2)
        for (command, arguments) in commands { batch.append((command: command, arguments: arguments)) }
        batch.append((command: "EXEC", arguments: []))
        let results = try await connection.executeBatch(batch)
        if case .failure(let error) = results[0] { throw error }  // e.g. MULTI nested in an open transaction
        switch results[results.count - 1] {
        case .failure(let execError):
            var errors: [(index: Int, error: any Error)] = []
            for index in 1..<(results.count - 1) {
                if case .failure(let error) = results[index] { errors.append((index: index - 1, error: error)) }
            }
            if errors.isEmpty { errors.append((index: commands.count, error: execError)) }
            throw MultiExecError(execError.message, errors: errors)
        case .success(let reply):
            if reply.isNull {
                throw WatchVariableError("a watched key was modified; the transaction was not executed", errors: [])
            }
            let items: [RESPValue]
            switch reply {
            case .array(.some(let values)): items = values
            case .attribute(_, .array(.some(let values))): items = values
            default: throw UnexpectedReplyError("EXEC answered \(reply)")
            }
            var failures = 0
            let execResults = items.map { item -> Result<RESPValue, ReplyError> in
                if case .error(let message) = item {
                    failures += 1
                    return .failure(ReplyError.make(fromServerMessage: String(buffer: message)))
                }
                return .success(item)
            }
            guard failures == 0 else {
                throw MultiExecResultsError(
                    "\(failures) of \(items.count) commands failed inside EXEC", results: execResults)
            }
            return items
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
        return try await withDedicatedConnection { connection in
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
    /// every path.
    func withDedicatedConnection<T>(_ body: (RedisConnection) async throws -> T) async throws -> T {
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
