// Lua scripting: EVAL, EVALSHA, SCRIPT LOAD/EXISTS/FLUSH/KILL, and `RedisScript`.

extension Redis {
    /// EVAL: runs `script` with `keys` (KEYS[1], ...) and `args` (ARGV[1], ...); returns the raw reply.
    public func eval(_ script: String, keys: [String] = [], args: [any RedisArgument] = []) async throws -> RESPValue {
        try await send("EVAL", Redis.scriptArguments(script, keys: keys, args: args))
    }

    /// EVAL, the reply decoded as `T`.
    public func eval<T: RESPValueDecodable>(
        _ script: String, keys: [String] = [], args: [any RedisArgument] = [], as type: T.Type,
        encoding: RedisEncoding? = nil
    ) async throws -> T {
        try await send("EVAL", Redis.scriptArguments(script, keys: keys, args: args), as: type, encoding: encoding)
    }

    /// EVALSHA: runs the script loaded under `sha`; throws `ReplyError` with code `NOSCRIPT` if the server
    /// does not know it.
    public func evalsha(_ sha: String, keys: [String] = [], args: [any RedisArgument] = []) async throws -> RESPValue {
        try await send("EVALSHA", Redis.scriptArguments(sha, keys: keys, args: args))
    }

    /// EVALSHA, the reply decoded as `T`.
    public func evalsha<T: RESPValueDecodable>(
        _ sha: String, keys: [String] = [], args: [any RedisArgument] = [], as type: T.Type,
        encoding: RedisEncoding? = nil
    ) async throws -> T {
        try await send("EVALSHA", Redis.scriptArguments(sha, keys: keys, args: args), as: type, encoding: encoding)
    }

    /// SCRIPT LOAD: caches `script` on the server and returns its SHA-1.
    public func scriptLoad(_ script: String) async throws -> String {
        try await send("SCRIPT", ["LOAD", script], as: String.self, encoding: .utf8)
    }

    /// SCRIPT EXISTS: for each SHA-1, whether the server has that script cached.
    public func scriptExists(_ shas: String...) async throws -> [Bool] {
        try await scriptExists(shas)
    }

    /// SCRIPT EXISTS: whether each script is cached on the server.
    public func scriptExists(_ shas: [String]) async throws -> [Bool] {
        guard !shas.isEmpty else { throw InvalidArgumentError("SCRIPT EXISTS needs at least one SHA-1") }
        return try await send("SCRIPT", ["EXISTS"] + shas, as: [Bool].self)
    }

    /// SCRIPT FLUSH: empties the server's script cache (for every client of the server).
    @discardableResult
    public func scriptFlush() async throws -> Bool {
        try await sendOK("SCRIPT", ["FLUSH"])
    }

    /// SCRIPT KILL: stops the running script if it has not written anything (`NOTBUSY` error if none runs).
    @discardableResult
    public func scriptKill() async throws -> Bool {
        try await sendOK("SCRIPT", ["KILL"])
    }

    static func scriptArguments(_ scriptOrSHA: String, keys: [String], args: [any RedisArgument])
        -> [any RedisArgument]
    {
        var arguments: [any RedisArgument] = [scriptOrSHA, keys.count]
        arguments.reserveCapacity(2 + keys.count + args.count)
        for key in keys { arguments.append(key) }
        arguments.append(contentsOf: args)
        return arguments
    }
}

/// A Lua script named by its SHA-1 (computed locally): `run` sends EVALSHA and, when the server does not have
/// the script cached (`NOSCRIPT`, e.g. after SCRIPT FLUSH or a restart), EVAL, which caches it again.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lowercase hex SHA-1 of `source`'s UTF-8 bytes, as SCRIPT LOAD would answer.
    public let sha1: String

    /// A script; its SHA-1 is computed here.
    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(source.utf8)
    }

    /// Runs the script: EVALSHA, falling back to EVAL on `NOSCRIPT`. Queued on a `Pipeline` or `MultiExec`
    /// (`pipe.queue { try await script.run(on: $0) }`), it is one EVALSHA, and the batch loads the script ahead.
    public func run(on redis: Redis, keys: [String] = [], args: [any RedisArgument] = []) async throws -> RESPValue {
        if let recorder = redis.connection as? QueuedCallRecorder {
            return try await recorder.executeScript(self, arguments: Redis.scriptArguments(sha1, keys: keys, args: args))
        }
        do {
            return try await redis.evalsha(sha1, keys: keys, args: args)
        } catch let error as ReplyError where error.code == "NOSCRIPT" {
            return try await redis.eval(source, keys: keys, args: args)
        }
    }

    /// Runs the script and decodes its reply as `T`.
    public func run<T: RESPValueDecodable>(
        on redis: Redis, keys: [String] = [], args: [any RedisArgument] = [], as type: T.Type,
        encoding: RedisEncoding? = nil
    ) async throws -> T {
        let reply = try await run(on: redis, keys: keys, args: args)
        return try T(fromRESP: reply, encoding: redis.textEncoding(encoding))
    }

    /// SCRIPT LOAD on `redis`; returns the SHA-1 (equal to `sha1`).
    @discardableResult
    public func load(on redis: Redis) async throws -> String {
        try await redis.scriptLoad(source)
    }
}
