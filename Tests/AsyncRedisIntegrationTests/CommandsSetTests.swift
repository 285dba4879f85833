import Testing

@testable import AsyncRedis

@Suite("Commands: sets")
struct CommandsSetTests {
    @Test("sadd, scard, smembers, sismember, smismember, srem, smove")
    func basics() async throws {
        try await withRedis { redis in
            let key = uniqueKey(), other = uniqueKey()
            #expect(try await redis.sadd(key, "a", "b", "c", "a") == 3)
            #expect(try await redis.scard(key) == 3)
            #expect(try await redis.smembers(key) == ["a", "b", "c"])
            #expect(Set(try await redis.smembers(key, as: [UInt8].self)) == [Array("a".utf8), Array("b".utf8), Array("c".utf8)])
            #expect(try await redis.sismember(key, "a"))
            #expect(try await redis.sismember(key, "z") == false)
            #expect(try await redis.smismember(key, "a", "z", "c") == [true, false, true])
            #expect(try await redis.srem(key, "a", "z") == 1)
            #expect(try await redis.smove(key, other, "b"))
            #expect(try await redis.smove(key, other, "b") == false)
            #expect(try await redis.smembers(other) == ["b"])
            #expect(try await redis.smembers(uniqueKey()) == [])
            try await redis.del(key, other)
        }
    }

    @Test("diff, inter, union and their store forms")
    func algebra() async throws {
        try await withRedis { redis in
            let a = uniqueKey(), b = uniqueKey(), dest = uniqueKey()
            try await redis.sadd(a, "1", "2", "3")
            try await redis.sadd(b, "2", "3", "4")
            #expect(try await redis.sdiff(a, b) == ["1"])
            #expect(try await redis.sinter(a, b) == ["2", "3"])
            #expect(try await redis.sunion(a, b) == ["1", "2", "3", "4"])
            #expect(try await redis.sdiffstore(dest, b, a) == 1)
            #expect(try await redis.smembers(dest) == ["4"])
            #expect(try await redis.sinterstore(dest, a, b) == 2)
            #expect(try await redis.sunionstore(dest, a, b) == 4)
            #expect(try await redis.scard(dest) == 4)
            try await redis.del(a, b, dest)
        }
    }

    @Test("sintercard counts the intersection, up to a limit", .needsRedis7("SINTERCARD is new in Redis 7.0"))
    func intersectionCardinality() async throws {
        try await withRedis { redis in
            let a = uniqueKey(), b = uniqueKey()
            try await redis.sadd(a, "1", "2", "3")
            try await redis.sadd(b, "2", "3", "4")
            #expect(try await redis.sintercard(a, b) == 2)
            #expect(try await redis.sintercard(a, b, limit: 1) == 1)
            try await redis.del(a, b)
        }
    }

    @Test("spop and srandmember, single and with counts")
    func random() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.spop(key) == nil)
            #expect(try await redis.srandmember(key) == nil)
            try await redis.sadd(key, "a", "b", "c", "d")
            #expect(["a", "b", "c", "d"].contains(try await redis.srandmember(key) ?? ""))
            #expect(Set(try await redis.srandmember(key, count: 10)) == ["a", "b", "c", "d"])
            #expect(try await redis.srandmember(key, count: -10).count == 10)
            let one = try #require(try await redis.spop(key))
            #expect(try await redis.sismember(key, one) == false)
            let two = try await redis.spop(key, count: 2)
            #expect(two.count == 2 && !two.contains(one))
            #expect(try await redis.scard(key) == 1)
            try await redis.del(key)
        }
    }

    @Test("sscan and isscan see every member")
    func scan() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let members = (0..<200).map { "m\($0)" }
            #expect(try await redis.execute("SADD", arguments: [key] + members, as: Int.self) == 200)
            var seen = Set<String>()
            var cursor = 0
            repeat {
                let step = try await redis.sscan(key, cursor: cursor, count: 30)
                seen.formUnion(step.members)
                cursor = step.cursor
            } while cursor != 0
            #expect(seen == Set(members))
            var iterated = Set<String>()
            for try await member in redis.isscan(key, match: "m1*") { iterated.insert(member) }
            #expect(iterated == Set(members.filter { $0.hasPrefix("m1") }))
            try await redis.del(key)
        }
    }
}
