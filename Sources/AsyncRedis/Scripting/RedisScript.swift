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

    /// Runs the script: EVALSHA, falling back to EVAL on `NOSCRIPT`. In a `Pipeline` or `MultiExec`, queue
    /// `command(keys:args:)` instead: the batch loads the script ahead of its commands.
    public func run(on redis: Redis, keys: [String] = [], args: [any RedisArgument] = []) async throws -> RESPValue {
        do {
            return try await redis.evalsha(sha1, keys: keys, args: args)
        } catch let error as ReplyError where error.code == "NOSCRIPT" {
            return try await redis.eval(source, keys: keys, args: args)
        }
    }

    /// The EVALSHA that runs the script, as a command value carrying the script: queued on a `Pipeline` or
    /// `MultiExec` (`pipe.add(script.command(keys: [key]))`), the batch sends SCRIPT LOAD ahead of its commands,
    /// so the EVALSHA cannot meet `NOSCRIPT`. Executed on its own it is a plain EVALSHA (use `run` for the
    /// fallback to EVAL).
    public func command(keys: [String] = [], args: [any RedisArgument] = []) -> RedisCommand<RESPValue> {
        command(keys: keys, args: args, as: RESPValue.self)
    }

    /// `command(keys:args:)` with the reply decoded as `T`.
    public func command<T: RESPValueDecodable>(
        keys: [String] = [], args: [any RedisArgument] = [], as type: T.Type, encoding: RedisEncoding? = nil
    ) -> RedisCommand<T> {
        var evalsha = RedisCommand("EVALSHA", Redis.scriptArguments(sha1, keys: keys, args: args), as: type)
            .encoded(with: encoding)
        evalsha.script = self
        return evalsha
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
