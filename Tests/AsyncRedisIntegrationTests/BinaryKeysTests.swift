import AsyncRedis
import NIOCore
import Testing

@Suite("Binary keys: RedisKey, [UInt8] and ByteBuffer keys through Redis's methods")
struct BinaryKeysTests {
    /// A key no UTF-8 string spells: NUL, 0xFF and an invalid UTF-8 sequence, plus a unique text part.
    static func binaryKey(_ label: String = #function) -> RedisKey {
        RedisKey([0x00, 0xFF, 0xC3, 0x28] + Array(uniqueKey(label).utf8) + [0x00])
    }

    @Test("a key with 0x00/0xFF bytes through SET, GET, EXISTS, HSET, ZADD and DEL")
    func binaryKeyRoundTrip() async throws {
        try await withRedis { redis in
            let key = Self.binaryKey()
            let hash = Self.binaryKey("hash")
            let zset = Self.binaryKey("zset")
            #expect(key.string == nil)

            #expect(try await redis.set(key, "value"))
            #expect(try await redis.get(key) == "value")
            #expect(try await redis.get(key.bytes) == "value")  // the same bytes as [UInt8]
            #expect(try await redis.get(ByteBuffer(bytes: key.bytes)) == "value")  // and as a ByteBuffer
            // The server sees exactly these bytes: SCAN finds the key and hands back the same bytes.
            let text = String(decoding: key.bytes.dropFirst(4).dropLast(), as: UTF8.self)
            let found = try await redis.execute("SCAN", 0, "MATCH", "*\(text)*", "COUNT", 100_000)
            guard case .array(.some(let parts)) = found, parts.count == 2 else {
                Issue.record("SCAN answered \(found)")
                return
            }
            let names = try [[UInt8]](fromRESP: parts[1], encoding: .utf8)
            #expect(names.contains(key.bytes))

            #expect(try await redis.hset(hash, "field", "x") == 1)
            #expect(try await redis.hget(hash, "field") == "x")
            #expect(try await redis.zadd(zset, score: 2.5, member: "m") == 1)
            #expect(try await redis.zscore(zset, "m") == 2.5)

            #expect(try await redis.exists(key, hash, zset) == 3)
            #expect(try await redis.exists([key, hash]) == 2)
            #expect(try await redis.del(key, hash, zset) == 3)
            #expect(try await redis.exists(key) == 0)
        }
    }

    @Test("String variables, string literals and binary keys mix in one call")
    func mixedKeys() async throws {
        try await withRedis { redis in
            let text = uniqueKey()
            let binary = Self.binaryKey()
            try await redis.set(text, 1)
            try await redis.set(binary, 2)
            #expect(try await redis.mget([text, binary]) == ["1", "2"])
            #expect(try await redis.del(text, binary, "\(text):never-set") == 2)
        }
    }

    @Test("binary keys in a pipeline and in MULTI/EXEC")
    func binaryKeysInBatches() async throws {
        try await withRedis { redis in
            let key = Self.binaryKey()
            let pipe = redis.pipeline()
            let set = pipe.queue { try $0.set(key, 41) }
            let incremented = pipe.queue { try $0.incr(key) }
            let read = pipe.queue { try $0.get(key.bytes) }
            try await pipe.execute()
            #expect(try await set.value)
            #expect(try await incremented.value == 42)
            #expect(try await read.value == "42")

            let tx = redis.multiExec()
            let inBlock = tx.queue { try $0.incrby(key, 8) }
            let exists = tx.queue { try $0.exists(key) }
            let deleted = tx.queue { try $0.del(key) }
            try await tx.execute()
            #expect(try await inBlock.value == 50)
            #expect(try await exists.value == 1)
            #expect(try await deleted.value == 1)
            #expect(try await redis.get(key) == nil)
        }
    }
}
