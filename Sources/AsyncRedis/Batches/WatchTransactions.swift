// Optimistic (WATCH) transactions.

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
        return try await withBatchConnection(routing: [(command: "WATCH", arguments: keys)]) { connection in
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
}

extension RedisCommands {
    /// WATCH (only meaningful on a single `RedisConnection` used by one task at a time: on a pool, each command
    /// may go out on a different connection; use `transaction(watching:)` there).
    @discardableResult
    public func watch(_ keys: any RedisKeyConvertible...) throws -> RedisCommand<Bool> {
        try watch(keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func watchListForm(_ keys: [any RedisKeyConvertible]) throws -> RedisCommand<Bool> {
        try watch(keys)
    }

    /// WATCH `keys` on this transaction's connection (true once the server confirms).
    @discardableResult
    public func watch(_ keys: [any RedisKeyConvertible]) throws -> RedisCommand<Bool> {
        guard !keys.isEmpty else { throw InvalidArgumentError("WATCH needs at least one key") }
        return try sendOK("WATCH", keys)
    }

    /// UNWATCH (see `watch` about pools).
    @discardableResult
    public func unwatch() throws -> RedisCommand<Bool> {
        try sendOK("UNWATCH", [])
    }
}
