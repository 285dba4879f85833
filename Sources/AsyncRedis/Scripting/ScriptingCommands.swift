// Lua scripting: EVAL, EVALSHA, SCRIPT LOAD/EXISTS/FLUSH/KILL (the script named by its SHA-1 is `RedisScript`).

extension RedisCommands {
    /// EVAL: runs `script` with `keys` (KEYS[1], ...) and `args` (ARGV[1], ...); returns the raw reply.
    public func eval(_ script: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = [])
        throws -> RedisCommand<RESPValue>
    {
        try send("EVAL", Redis.scriptArguments(script, keys: keys, args: args))
    }

    /// EVAL, the reply decoded as `T`.
    public func eval<T: RESPValueDecodable>(
        _ script: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = [], as type: T.Type,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<T> {
        try send("EVAL", Redis.scriptArguments(script, keys: keys, args: args), as: type, encoding: encoding)
    }

    /// EVALSHA: runs the script loaded under `sha`; throws `ReplyError` with code `NOSCRIPT` if the server
    /// does not know it.
    public func evalsha(_ sha: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = [])
        throws -> RedisCommand<RESPValue>
    {
        try send("EVALSHA", Redis.scriptArguments(sha, keys: keys, args: args))
    }

    /// EVALSHA, the reply decoded as `T`.
    public func evalsha<T: RESPValueDecodable>(
        _ sha: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = [], as type: T.Type,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<T> {
        try send("EVALSHA", Redis.scriptArguments(sha, keys: keys, args: args), as: type, encoding: encoding)
    }

    /// SCRIPT LOAD: caches `script` on the server and returns its SHA-1.
    public func scriptLoad(_ script: String) throws -> RedisCommand<String> {
        try send("SCRIPT", ["LOAD", script], as: String.self, encoding: .utf8)
    }

    /// SCRIPT EXISTS: for each SHA-1, whether the server has that script cached.
    public func scriptExists(_ shas: String...) throws -> RedisCommand<[Bool]> {
        try scriptExistsListForm(shas)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func scriptExistsListForm(_ shas: [String]) throws -> RedisCommand<[Bool]> {
        try scriptExists(shas)
    }

    /// SCRIPT EXISTS: whether each script is cached on the server.
    public func scriptExists(_ shas: [String]) throws -> RedisCommand<[Bool]> {
        guard !shas.isEmpty else { throw InvalidArgumentError("SCRIPT EXISTS needs at least one SHA-1") }
        return try send("SCRIPT", ["EXISTS"] + shas, as: [Bool].self)
    }

    /// SCRIPT FLUSH: empties the server's script cache (for every client of the server).
    @discardableResult
    public func scriptFlush() throws -> RedisCommand<Bool> {
        try sendOK("SCRIPT", ["FLUSH"])
    }

    /// SCRIPT KILL: stops the running script if it has not written anything (`NOTBUSY` error if none runs).
    @discardableResult
    public func scriptKill() throws -> RedisCommand<Bool> {
        try sendOK("SCRIPT", ["KILL"])
    }
}

extension Redis {

    static func scriptArguments(_ scriptOrSHA: String, keys: [any RedisKeyConvertible], args: [any RedisArgument])
        -> [any RedisArgument]
    {
        var arguments: [any RedisArgument] = [scriptOrSHA, keys.count]
        arguments.reserveCapacity(2 + keys.count + args.count)
        for key in keys { arguments.append(key) }
        arguments.append(contentsOf: args)
        return arguments
    }
}
