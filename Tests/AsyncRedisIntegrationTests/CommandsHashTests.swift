import Testing

@testable import AsyncRedis

@Suite("Commands: hashes")
struct CommandsHashTests {
    @Test("hset/hget/hgetall/hkeys/hvals/hlen/hexists/hdel")
    func basics() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.hgetall(key) == [:])
            #expect(try await redis.hset(key, "a", "1") == 1)
            #expect(try await redis.hset(key, "a", "one") == 0)
            #expect(try await redis.hset(key, ["b": "2", "c": "3"]) == 2)
            #expect(try await redis.hget(key, "a") == "one")
            #expect(try await redis.hget(key, "b", as: Int.self) == 2)
            #expect(try await redis.hget(key, "missing") == nil)
            #expect(try await redis.hgetall(key) == ["a": "one", "b": "2", "c": "3"])
            #expect(try await redis.hgetall(key, as: [UInt8].self)["c"] == Array("3".utf8))
            #expect(Set(try await redis.hkeys(key)) == ["a", "b", "c"])
            #expect(Set(try await redis.hvals(key)) == ["one", "2", "3"])
            #expect(try await redis.hvals(key, as: [UInt8].self).count == 3)
            #expect(try await redis.hlen(key) == 3)
            #expect(try await redis.hexists(key, "a"))
            #expect(try await redis.hexists(key, "z") == false)
            #expect(try await redis.hstrlen(key, "a") == 3)
            #expect(try await redis.hdel(key, "a", "z") == 1)
            #expect(try await redis.hlen(key) == 2)
            try await redis.del(key)
        }
    }

    @Test("hmset, hmget, hsetnx, hincrby, hincrbyfloat")
    func multiAndCounters() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.hmset(key, ("x", "1"), ("y", 2)))
            #expect(try await redis.hmset(key, ["z": 3.5]))
            #expect(try await redis.hmget(key, "x", "nope", "z") == ["1", nil, "3.5"])
            #expect(try await redis.hmget(key, fields: ["y", "nope"], as: Int.self) == [2, nil])
            #expect(try await redis.hsetnx(key, "x", "other") == false)
            #expect(try await redis.hsetnx(key, "w", "new"))
            #expect(try await redis.hincrby(key, "x", 41) == 42)
            #expect(try await redis.hincrbyfloat(key, "z", 1.25) == 4.75)
            await expectReplyError(code: "ERR") { try await redis.hincrby(key, "w", 1) }
            await expectInvalidArgument { try await redis.hset(key, [String: String]()) }
            try await redis.del(key)
        }
    }

    @Test("hrandfield in its three forms")
    func hrandfield() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.hrandfield(key) == nil)
            try await redis.hset(key, ["a": "1", "b": "2", "c": "3"])
            #expect(["a", "b", "c"].contains(try await redis.hrandfield(key) ?? ""))
            #expect(Set(try await redis.hrandfield(key, count: 5)) == ["a", "b", "c"])
            #expect(try await redis.hrandfield(key, count: -5).count == 5)
            let pairs = try await redis.hrandfieldWithValues(key, count: 3)
            #expect(Dictionary(uniqueKeysWithValues: pairs.map { ($0.field, $0.value) }) == ["a": "1", "b": "2", "c": "3"])
            try await redis.del(key)
        }
    }

    @Test("hscan steps and ihscan yield every (field, value)")
    func scan() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            var values: [String: String] = [:]
            for i in 0..<300 { values["f\(i)"] = "v\(i)" }
            // A value longer than hash-max-listpack-value makes a real hashtable, which HSCAN walks in steps.
            values["long"] = String(repeating: "x", count: 100)
            try await redis.hset(key, values)
            #expect(try await redis.objectEncoding(key) == "hashtable")
            var seen: [String: String] = [:]
            var steps = 0
            var cursor = 0
            repeat {
                let step = try await redis.hscan(key, cursor: cursor, count: 50)
                for item in step.items { seen[item.field] = item.value }
                cursor = step.cursor
                steps += 1
            } while cursor != 0
            #expect(seen == values)
            #expect(steps > 1)
            var iterated: [String: String] = [:]
            for try await (field, value) in redis.ihscan(key, count: 20) { iterated[field] = value }
            #expect(iterated == values)
            var matched: [String] = []
            for try await item in redis.ihscan(key, match: "f1?") { matched.append(item.field) }
            #expect(Set(matched) == Set((10..<20).map { "f\($0)" }))
            try await redis.del(key)
        }
    }
}
