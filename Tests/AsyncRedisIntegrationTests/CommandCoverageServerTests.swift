import Testing

@testable import AsyncRedis

/// The running server's COMMAND LIST against the `Redis` methods: a command the server has and the command table
/// knows must have a method unless it is on a documented list (`RedisCommandCoverage`). What a newer server adds
/// (Valkey 8.1) is not demanded, and what an older one lacks (Redis 6.2) is not asked of it.
@Suite("Command coverage against the server's COMMAND LIST")
struct CommandCoverageServerTests {
    @Test("every command the server lists has a Redis method, or is excluded or mapped with a reason")
    func serverCommandsHaveMethods() async throws {
        try await withRedis { redis in
            let names = try await Self.commandList(redis)
            #expect(names.count > 200, "COMMAND LIST (or COMMAND INFO on Redis 6.2) answered too few names")
            #expect(RedisCommandCoverage.missing(from: names) == [])
        }
    }

    /// COMMAND LIST (Redis 7), or the names and subcommand names of COMMAND (Redis 6.2, which has no LIST).
    static func commandList(_ redis: Redis) async throws -> [String] {
        if TestServerFlavour.isAtLeast(7) {
            return try await redis.execute(RedisCommand<[String]>("COMMAND", ["LIST"]))
        }
        let entries = try await redis.execute(RedisCommand<[RESPValue]>("COMMAND"))
        return try entries.map { entry in
            guard case .array(let fields?) = entry, let name = fields.first else { return "" }
            return try String(fromRESP: name, encoding: .utf8)
        }
    }
}
