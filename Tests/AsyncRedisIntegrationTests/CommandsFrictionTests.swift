import Foundation
import Testing

@testable import AsyncRedis

/// What writing tests as a user showed missing: collection forms, parsed INFO, a non-optional XADD ID.
@Suite("Commands: collection forms, parsed INFO, XADD's ID")
struct CommandsFrictionTests {
    @Test("SADD of 1 200 members and the other collection forms, without execute")
    func collectionForms() async throws {
        try await withRedis { redis in
            let set = uniqueKey("set")
            let members = (0..<1_200).map { "m\($0)" }
            #expect(try await redis.sadd(set, members: members) == 1_200)
            #expect(try await redis.scard(set) == 1_200)
            #expect(try await redis.srem(set, members: Array(members.prefix(200))) == 200)
            let zset = uniqueKey("zset")
            try await redis.zadd(zset, [(1, "a"), (2, "b")])
            #expect(try await redis.zrem(zset, members: ["a", "b", "missing"]) == 2)
            let hll = uniqueKey("hll")
            #expect(try await redis.pfadd(hll, elements: (0..<100).map { $0 }))
            #expect(try await redis.pfcount(hll) == 100)
            let list = uniqueKey("list")
            #expect(try await redis.rpush(list, values: [1, 2]) == 2)
            #expect(try await redis.lpush(list, values: ["0"]) == 3)
            #expect(try await redis.lrange(list, 0, -1) == ["0", "1", "2"])
            let keys = [set, zset, hll, list]
            #expect(try await redis.exists(keys) == 3)  // the emptied sorted set is gone
            let text = uniqueKey("text")
            try await redis.set(text, "t")
            #expect(try await redis.mget([text, uniqueKey("missing")]) == ["t", nil])
            try await redis.del(text)
            #expect(try await redis.exists([]) == 0)
            #expect(try await redis.mget([]) == [])
            await expectInvalidArgument { try await redis.sadd(set, members: []) }
            await expectInvalidArgument { try await redis.zrem(set, members: []) }
            #expect(try await redis.del(keys) == 3)
        }
    }

    @Test("infoParsed: numbers as numbers, keyspace entries as fields, versions as text")
    func infoParsed() async throws {
        try await withRedis(db: 5) { redis in
            let key = uniqueKey()
            try await redis.set(key, "v")
            let info = try await redis.infoParsed()
            #expect(info["server"]?["tcp_port"]?.int == (try TestServers.port()))
            #expect(info["server"]?["redis_version"]?.string?.contains(".") == true)
            #expect((info["keyspace"]?["db5"]?["keys"]?.int ?? 0) >= 1)
            #expect(info["memory"]?["mem_fragmentation_ratio"]?.double != nil)
            try await redis.del(key)
        }
        #expect(RedisInfoValue(parsing: "keys=1,expires=0,avg_ttl=1.5")
            == .fields(["keys": .integer(1), "expires": .integer(0), "avg_ttl": .double(1.5)]))
        #expect(RedisInfoValue(parsing: "1.05M") == .text("1.05M"))
        #expect(RedisInfoValue(parsing: "3e45") == .text("3e45"))
        #expect(RedisInfoValue(parsing: "-2") == .integer(-2))
        #expect(RedisInfoValue(parsing: "a,b") == .text("a,b"))
    }
}

/// Every time a command takes is a `Duration`, sent by the one rule of TimeArguments.swift.
@Suite("Commands: durations")
struct CommandsDurationTests {
    @Test("expiries: whole seconds as seconds, anything finer in milliseconds, never truncated")
    func expiries() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await expectTTL(redis, key, milliseconds: 1_500) {
                try await redis.set(key, "v", expire: .milliseconds(1_500))
            }
            try await expectTTL(redis, key, milliseconds: 100_000) {
                try await redis.set(key, "v", expire: .seconds(100))
            }
            try await expectTTL(redis, key, milliseconds: 2_250) {
                _ = try await redis.expire(key, .milliseconds(2_250))
            }
            try await expectTTL(redis, key, milliseconds: 2_500) {
                try await redis.setex(key, seconds: .milliseconds(2_500), "v")
            }
            try await expectTTL(redis, key, milliseconds: 3_001) {
                _ = try await redis.getex(key, expire: .nanoseconds(3_000_000_001))
            }
            // A sub-millisecond expiry rounds up to 1 ms instead of becoming an invalid 0.
            #expect(try await redis.getex(key, pexpire: .microseconds(10)) == "v")
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await redis.get(key) == nil)
            await expectInvalidArgument { try await redis.set(key, "v", expire: .milliseconds(-5)) }
        }
    }

    /// Runs `set`, then checks that the key's PTTL is `milliseconds` less at most the time the round trips took:
    /// exact on the upper side (no rounding up to a whole second), loose only by the measured latency below.
    private func expectTTL(
        _ redis: Redis, _ key: String, milliseconds expected: Int, sourceLocation: SourceLocation = #_sourceLocation,
        _ set: () async throws -> Void
    ) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        try await set()
        let ttl = try await redis.pttl(key)
        let elapsed = Redis.milliseconds(clock.now - start)
        #expect(ttl <= expected && ttl >= expected - elapsed - 1, "PTTL \(ttl) after \(elapsed) ms",
                sourceLocation: sourceLocation)
    }

    @Test("blocking timeouts are fractional seconds: BLPOP with 250 ms returns nil after about 250 ms")
    func blockingTimeout() async throws {
        try await withRedis { redis in
            let clock = ContinuousClock()
            var popped: (key: String, value: String)?
            let elapsed = try await clock.measure {
                popped = try await redis.blpop(uniqueKey(), timeout: .milliseconds(250))
            }
            #expect(popped == nil)
            // Not rounded down to 0, which would block forever; the bound leaves room for a loaded machine, and the
            // conversion to fractional seconds is checked exactly below.
            #expect(elapsed >= .milliseconds(200) && elapsed < .seconds(3))
            #expect(Redis.milliseconds(.nanoseconds(1)) == 1)
            #expect(try Redis.timeoutSeconds(.milliseconds(1_250)) == 1.25)
        }
    }
}
