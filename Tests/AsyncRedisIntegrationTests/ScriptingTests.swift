import AsyncRedis
import NIOCore
import Testing

// Serialized: one test flushes the server's script cache, which the others rely on between their steps.
@Suite("Scripting: EVAL, EVALSHA, SCRIPT, RedisScript", .serialized)
struct ScriptingTests {
    @Test("the locally computed SHA-1 matches the standard test vectors")
    func sha1Vectors() {
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RedisScript("abc").sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            RedisScript("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").sha1
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(
            RedisScript("The quick brown fox jumps over the lazy dog").sha1
                == "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12")
    }

    @Test("EVAL passes KEYS and ARGV; typed forms decode the reply")
    func evalKeysAndArgs() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let reply = try await redis.eval("return {KEYS[1], ARGV[1], ARGV[2]}", keys: [key], args: ["a", 7])
            #expect(reply == .array([.bulkString(ByteBuffer(string: key)), .bulkString(ByteBuffer(string: "a")),
                                     .bulkString(ByteBuffer(string: "7"))]))
            let sum = try await redis.eval("return ARGV[1] + ARGV[2]", args: [40, 2], as: Int.self)
            #expect(sum == 42)
            await expectReplyError(code: "ERR") { try await redis.eval("return redis.call('nosuchcommand')") }
        }
    }

    @Test("SCRIPT LOAD answers the local SHA-1; EVALSHA and SCRIPT EXISTS use it")
    func loadAndEvalsha() async throws {
        try await withRedis { redis in
            // Longer than one SHA-1 block, with multi-byte UTF-8.
            let script = RedisScript("-- Größe \(uniqueKey()) ünïcödé ✓\nreturn 'loaded: ' .. ARGV[1] .. string.rep('x', 3)")
            let sha = try await redis.scriptLoad(script.source)
            #expect(sha == script.sha1)
            #expect(try await redis.evalsha(sha, args: ["ok"], as: String.self) == "loaded: okxxx")
            let unknown = RedisScript("return '\(uniqueKey())'").sha1
            #expect(try await redis.scriptExists(sha, unknown) == [true, false])
            await expectReplyError(code: "NOSCRIPT") { try await redis.evalsha(unknown) }
        }
    }

    @Test("RedisScript falls back to EVAL after SCRIPT FLUSH (NOSCRIPT)")
    func scriptAfterFlush() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let script = RedisScript("return redis.call('incrby', KEYS[1], ARGV[1])")
            try await script.load(on: redis)
            #expect(try await script.run(on: redis, keys: [key], args: [5], as: Int.self) == 5)
            #expect(try await redis.scriptFlush())
            #expect(try await redis.scriptExists(script.sha1) == [false])
            #expect(try await script.run(on: redis, keys: [key], args: [5], as: Int.self) == 10)
            // EVAL cached it again.
            #expect(try await redis.scriptExists([script.sha1]) == [true])
            #expect(try await script.run(on: redis, keys: [key], args: [1]) == .integer(11))
            _ = try await redis.execute("DEL", key)
        }
    }

    @Test("SCRIPT KILL with no script running answers NOTBUSY")
    func scriptKillNotBusy() async throws {
        try await withRedis { redis in
            await expectReplyError(code: "NOTBUSY") { try await redis.scriptKill() }
        }
    }

    @Test("scripts run over a pool")
    func scriptOnPool() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 3)
        defer { redis.close() }
        let script = RedisScript("return #KEYS + #ARGV")
        #expect(try await script.run(on: redis, keys: ["a", "b"], args: [1], as: Int.self) == 3)
    }
}

extension ScriptingTests {
    @Test("a RedisScript's command queued on a pipeline or MULTI/EXEC still runs after SCRIPT FLUSH")
    func scriptInBatches() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let script = RedisScript("-- \(uniqueKey())\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])")
            #expect(try await redis.scriptFlush())
            let pipe = redis.pipeline()
            let first = pipe.add(script.command(keys: [key], args: [2], as: Int.self))
            let second = pipe.add(script.command(keys: [key], args: [3], as: Int.self))
            try await pipe.execute()
            #expect(try await first.value == 2)
            #expect(try await second.value == 5)

            #expect(try await redis.scriptFlush())
            let tx = redis.multiExec()
            let inBlock = tx.add(script.command(keys: [key], args: [10], as: Int.self))
            try await tx.execute()
            #expect(try await inBlock.value == 15)
            #expect(try await redis.scriptExists(script.sha1) == [true])

            // A script that does not compile reports the compile error, not the NOSCRIPT its EVALSHA met.
            let broken = RedisScript("return (((")
            let failing = redis.pipeline()
            let reply = failing.add(script.command(keys: [key], args: [1], as: Int.self))
            let bad = failing.add(broken.command())
            await #expect(throws: PipelineError.self) { try await failing.execute() }
            #expect(try await reply.value == 16)
            do {
                _ = try await bad.value
                Issue.record("expected the compile error")
            } catch let error as ReplyError {
                #expect(error.code != "NOSCRIPT", "\(error)")
                #expect(error.message.contains("compiling"), "\(error)")
            }
            _ = try await redis.execute("DEL", key)
        }
    }
}
