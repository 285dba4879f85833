import AsyncRedis
import AsyncRedisTestSupport
import Testing

/// Commands a Redis 6.2 server lacks, each called the way a user would: through its typed method where the library
/// has one, else through `execute`.
enum Redis7Command: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case functionLoad = "FUNCTION LOAD"
    case fcall = "FCALL"
    case fcallRO = "FCALL_RO"
    case spublish = "SPUBLISH"
    case sintercard = "SINTERCARD"
    case lmpop = "LMPOP"
    case lcs = "LCS"
    case expiretime = "EXPIRETIME"

    var testDescription: String { rawValue }

    func call(on redis: Redis, key: String) async throws {
        switch self {
        case .functionLoad:
            _ = try await redis.functionLoad("#!lua name=older\nredis.register_function('f', function() return 1 end)")
        case .fcall: _ = try await redis.fcall("f", keys: [key])
        case .fcallRO: _ = try await redis.fcallRO("f", keys: [key])
        case .spublish: _ = try await redis.execute("SPUBLISH", key, "message")
        case .sintercard: _ = try await redis.sintercard(key, key)
        case .lmpop: _ = try await redis.execute("LMPOP", 1, key, "LEFT")
        case .lcs: _ = try await redis.execute("LCS", key, key)
        case .expiretime: _ = try await redis.execute("EXPIRETIME", key)
        }
    }
}

/// On a server older than Redis 7.0 (the matrix's Redis 6.2 run), what it lacks fails with the server's own
/// `ReplyError` and costs nothing else: the connection answers the very next command with that command's reply.
@Suite(
    "Older servers: a Redis 7 command fails with the server's ReplyError and the connection stays usable",
    .onlyBeforeRedis7("these commands exist from Redis 7.0 on: there they succeed (their own suites test that)"))
struct OlderServerTests {
    @Test("a missing command is the server's ERR; the next command on the connection gets its own reply",
        arguments: Redis7Command.allCases, [2, 3])
    func missingCommand(_ command: Redis7Command, protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            let error = await expectReplyError(code: "ERR") { try await command.call(on: redis, key: key) }
            #expect(error?.message.localizedCaseInsensitiveContains("unknown") == true, "\(String(describing: error))")
            // A reply left over or lost would show here as the wrong answer, not just as an error.
            #expect(try await redis.echo("after \(command)") == "after \(command)")
            #expect(try await redis.set(key, "still here"))
            #expect(try await redis.get(key) == "still here")
            _ = try await redis.delete(key)
        }
    }

    @Test("SSUBSCRIBE fails without hanging and leaves the connection out of Pub/Sub mode")
    func shardedSubscribe() async throws {
        try await withConnection { connection in
            let name = uniqueKey()
            await expectReplyError(code: "ERR") {
                try await withTimeLimit { try await connection.executePubSub("ssubscribe", name) }
            }
            #expect(connection.inPubSub == 0)
            #expect(connection.pubsubShardChannels.isEmpty)
            #expect(try await connection.execute("PING", as: String.self) == "PONG")
            // Plain SUBSCRIBE still works on the same connection.
            _ = try await connection.executePubSub("subscribe", name)
            #expect(connection.inPubSub == 1)
            _ = try await connection.executePubSub("unsubscribe", name)
            #expect(connection.inPubSub == 0)
        }
    }

    @Test("in a pipeline only the missing command fails; the others get their replies")
    func missingCommandInPipeline() async throws {
        try await withConnection { connection in
            let key = uniqueKey()
            let replies = try await connection.executeBatch([
                ("SET", [key, "1"]), ("LMPOP", [1, key, "LEFT"]), ("INCR", [key]),
            ])
            #expect(replies.count == 3)
            #expect(try replies[0].get().string() == "OK")
            #expect(replies[1].failureCode == "ERR")
            #expect(try replies[2].get() == .integer(2))
            _ = try await connection.execute("DEL", key)
        }
    }

    @Test("CLUSTER SHARDS fails on a cluster node with the server's ERR; CLUSTER SLOTS answers next")
    func clusterShards() async throws {
        let redis = try await CommandsClusterTests.node()
        defer { redis.close() }
        await expectReplyError(code: "ERR") { try await redis.execute("CLUSTER", "SHARDS") }
        #expect(try await redis.clusterSlots().reduce(0) { $0 + $1.slots.count } == 16384)
    }
}

extension Result where Failure == ReplyError {
    /// The error code of a failed reply in a batch, nil for a success.
    fileprivate var failureCode: String? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
