import NIOCore

/// What FUNCTION RESTORE does with libraries that already exist.
public enum FunctionRestorePolicy: String, Sendable, Hashable {
    /// APPEND (fail on a name clash, the default), FLUSH (delete every library first) or REPLACE (replace clashing
    /// libraries).
    case append = "APPEND", flush = "FLUSH", replace = "REPLACE"
}

// The read-only script calls and the function library's dump, restore and statistics (Redis 7).
extension RedisCommands {
    /// EVAL_RO: EVAL of a script that only reads, which a replica may run (Redis 7).
    public func evalRO(_ script: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = [])
        throws -> RedisCommand<RESPValue>
    {
        try send("EVAL_RO", Redis.scriptArguments(script, keys: keys, args: args))
    }

    /// EVALSHA_RO: EVALSHA of a script that only reads, which a replica may run (Redis 7).
    public func evalshaRO(_ sha: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = [])
        throws -> RedisCommand<RESPValue>
    {
        try send("EVALSHA_RO", Redis.scriptArguments(sha, keys: keys, args: args))
    }

    /// FUNCTION DUMP: every loaded library as one opaque payload for `functionRestore` (Redis 7).
    public func functionDump() throws -> RedisCommand<[UInt8]> {
        try send("FUNCTION", ["DUMP"], as: ByteBuffer.self).map { payload, _ in Array(payload.readableBytesView) }
    }

    /// FUNCTION RESTORE: loads the libraries of a `functionDump` payload (Redis 7).
    @discardableResult
    public func functionRestore(_ payload: [UInt8], policy: FunctionRestorePolicy? = nil)
        throws -> RedisCommand<Bool>
    {
        try sendOK("FUNCTION", ["RESTORE", payload] + (policy.map { [$0.rawValue] } ?? []))
    }

    /// FUNCTION STATS: the running function (`running_script`, null when none) and the engines' library and
    /// function counts (`engines`), as the server's map (Redis 7).
    public func functionStats() throws -> RedisCommand<[String: RESPValue]> {
        try send("FUNCTION", ["STATS"], as: [String: RESPValue].self, encoding: .utf8)
    }
}
