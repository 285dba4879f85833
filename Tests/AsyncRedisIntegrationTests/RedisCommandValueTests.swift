import AsyncRedis
import NIOCore
import Testing

/// Commands as values: run on a connection, a pool and `Redis`; queued on pipelines and MULTI/EXEC with typed
/// pending replies; binary keys through `RedisKey`.
@Suite("Command values")
struct RedisCommandValueTests {
    @Test("a command value runs on a connection, a pool and Redis, decoded as its type")
    func executesEverywhere() async throws {
        let key = uniqueKey()
        try await withConnection { connection in
            #expect(try await connection.execute(RedisCommand<String>("SET", [key, "41"])) == "OK")
            #expect(try await connection.execute(RedisCommand<Int>("INCR", [key])) == 42)
            let pool = try await createPool(try TestServers.plain(), minSize: 1, maxSize: 2)
            #expect(try await pool.execute(RedisCommand<String?>("GET", [key])) == "42")
            pool.close()
            let redis = Redis(connection)
            #expect(try await redis.execute(RedisCommand<Int>("DEL", [key])) == 1)
            #expect(try await redis.execute(RedisCommand<String?>("GET", [key])) == nil)
            // A reply of the wrong shape is an error, not a crash.
            _ = try await connection.execute("SET", key, "text")
            await #expect(throws: UnexpectedReplyError.self) {
                _ = try await connection.execute(RedisCommand<Int>("GET", [key]))
            }
        }
    }

    @Test("a command value carries its key positions and flags from the table")
    func keysAndFlags() {
        let eval = RedisCommand<RESPValue>("EVAL", ["return 1", 2, "a", "b", "x"])
        #expect(eval.keyIndices == [2, 3])
        #expect(eval.spec?.hasFlag("movablekeys") == true)
        let xinfo = RedisCommand<RESPValue>("xinfo", ["STREAM", "s"])
        #expect(xinfo.keyIndices == [1])
        #expect(xinfo.spec?.name == "xinfo|stream")
        #expect(RedisCommand<RESPValue>("NOSUCH", ["k"]).keyIndices == nil)
        #expect(RedisCommand<String>("PING").keyIndices == [])
    }

    @Test("typed commands queue on a pipeline and a MULTI/EXEC block, each with its own typed reply")
    func batches() async throws {
        let key = uniqueKey()
        try await withConnection { connection in
            let redis = Redis(connection)
            let pipe = redis.pipeline()
            let set = pipe.add(RedisCommand<String>("SET", [key, "1"]))
            let increments = pipe.add((0..<3).map { _ in RedisCommand<Int>("INCR", [key]) })
            let wrongType = pipe.add(RedisCommand<Int>("HGET", [key, "f"]))
            let get = pipe.add(RedisCommand<String?>("GET", [key]))
            await #expect(throws: PipelineResultsError.self) { try await pipe.execute() }
            #expect(try await set.value == "OK")
            #expect(try await increments.asyncMap { try await $0.value } == [2, 3, 4])
            await #expect(throws: ReplyError.self) { _ = try await wrongType.value }
            #expect(try await get.value == "4")

            let block = redis.multiExec()
            let incremented = block.add(RedisCommand<Int>("INCRBY", [key, 10]))
            let value = block.add(RedisCommand<String?>("GET", [key]))
            try await block.execute()
            #expect(try await incremented.value == 14)
            #expect(try await value.value == "14")
            // A batch runs once: a command added afterwards fails, without being sent.
            await #expect(throws: InvalidArgumentError.self) {
                _ = try await block.add(RedisCommand<Int>("INCR", [key])).value
            }
            #expect(try await connection.execute("GET", key, as: String.self) == "14")
            _ = try await connection.execute("DEL", key)
        }
    }

    @Test("binary keys go through RedisKey from bytes, a ByteBuffer, a String or a literal")
    func binaryKeys() async throws {
        let prefix = uniqueKey()
        let binary = RedisKey(Array(prefix.utf8) + [0x00, 0xFF, 0x0D, 0x0A])
        #expect(binary.string == nil)
        #expect(RedisKey(ByteBuffer(bytes: binary.bytes)) == binary)
        #expect(RedisKey(prefix) == RedisKey(Array(prefix.utf8)))
        let literal: RedisKey = "plain"
        #expect(literal.string == "plain")
        try await withConnection { connection in
            try await connection.execute(RedisCommand<String>("SET", [binary, "bytes"]))
            #expect(try await connection.execute(RedisCommand<String?>("GET", [RedisKey(ByteBuffer(bytes: binary.bytes))])) == "bytes")
            // The text form of the prefix alone is another key.
            #expect(try await connection.execute(RedisCommand<String?>("GET", [RedisKey(prefix)])) == nil)
            #expect(try await connection.execute(RedisCommand<Int>("DEL", [binary])) == 1)
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
