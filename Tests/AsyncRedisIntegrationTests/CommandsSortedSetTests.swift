import NIOCore
import Testing

@testable import AsyncRedis

@Suite("Commands: sorted sets")
struct CommandsSortedSetTests {
    @Test("score and lex bounds are spelled as Redis parses them")
    func bounds() {
        func text(_ argument: some RedisArgument) -> String {
            var buffer = ByteBuffer()
            argument.writeRESPBulk(into: &buffer)
            return String(String(buffer: buffer).split(separator: "\r\n").last ?? "")
        }
        #expect(text(ScoreBound.inclusive(1.5)) == "1.5")
        #expect(text(ScoreBound.exclusive(2)) == "(2")
        #expect(text(ScoreBound.exclusive(0.25)) == "(0.25")
        #expect(text(ScoreBound.negativeInfinity) == "-inf")
        #expect(text(ScoreBound.positiveInfinity) == "+inf")
        #expect(text(3 as ScoreBound) == "3")
        #expect(text(LexBound.inclusive("a")) == "[a")
        #expect(text(LexBound.exclusive("b")) == "(b")
        #expect(text(LexBound.min) == "-")
        #expect(text(LexBound.max) == "+")
    }

    @Test("zadd options: NX, XX, GT, LT, CH, INCR")
    func zaddOptions() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.zadd(key, [(1, "a"), (2, "b")]) == 2)
            #expect(try await redis.zadd(key, score: 5, member: "a", exist: .ifNotExists) == 0)
            #expect(try await redis.zscore(key, "a") == 1)
            #expect(try await redis.zadd(key, score: 5, member: "c", exist: .ifExists) == 0)
            #expect(try await redis.zscore(key, "c") == nil)
            #expect(try await redis.zadd(key, score: 3, member: "a", exist: .ifExists, changed: true) == 1)
            #expect(try await redis.zadd(key, score: 1, member: "a", comparison: .greaterThan, changed: true) == 0)
            #expect(try await redis.zadd(key, score: 1, member: "a", comparison: .lessThan, changed: true) == 1)
            #expect(try await redis.zaddIncr(key, increment: 2.5, member: "a") == 3.5)
            #expect(try await redis.zaddIncr(key, increment: 1, member: "new", exist: .ifExists) == nil)
            await expectInvalidArgument {
                try await redis.zadd(key, score: 1, member: "a", exist: .ifNotExists, comparison: .lessThan)
            }
            await expectInvalidArgument { try await redis.zadd(key, []) }
            try await redis.del(key)
        }
    }

    @Test("zcard, zcount with bounds, zincrby, zscore, zmscore, zrank, zrevrank, zrem")
    func basics() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.zadd(key, [(1, "one"), (2, "two"), (3, "three")])
            #expect(try await redis.zcard(key) == 3)
            #expect(try await redis.zcount(key) == 3)
            #expect(try await redis.zcount(key, min: 2, max: .positiveInfinity) == 2)
            #expect(try await redis.zcount(key, min: .exclusive(1), max: .exclusive(3)) == 1)
            #expect(try await redis.zincrby(key, 0.5, "one") == 1.5)
            #expect(try await redis.zscore(key, "one") == 1.5)
            #expect(try await redis.zscore(key, "nope") == nil)
            #expect(try await redis.zmscore(key, "one", "nope", "three") == [1.5, nil, 3])
            #expect(try await redis.zrank(key, "three") == 2)
            #expect(try await redis.zrevrank(key, "three") == 0)
            #expect(try await redis.zrank(key, "nope") == nil)
            #expect(try await redis.zrem(key, "one", "nope") == 1)
            #expect(try await redis.zcard(key) == 2)
            try await redis.del(key)
        }
    }

    @Test("zrange, zrevrange, with scores, by score with limit, by lex")
    func ranges() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.zadd(key, [(1, "a"), (2, "b"), (3, "c"), (4, "d")])
            #expect(try await redis.zrange(key) == ["a", "b", "c", "d"])
            #expect(try await redis.zrange(key, 1, 2) == ["b", "c"])
            #expect(try await redis.zrevrange(key, 0, 1) == ["d", "c"])
            let scored = try await redis.zrangeWithScores(key, 0, 1)
            #expect(scored.map(\.member) == ["a", "b"] && scored.map(\.score) == [1, 2])
            let revScored = try await redis.zrevrangeWithScores(key, 0, 0)
            #expect(revScored.map(\.member) == ["d"] && revScored.map(\.score) == [4])
            #expect(try await redis.zrangebyscore(key, min: 2, max: 3) == ["b", "c"])
            #expect(try await redis.zrangebyscore(key, min: .exclusive(1), limit: (1, 2)) == ["c", "d"])
            #expect(try await redis.zrevrangebyscore(key, max: 3, min: .negativeInfinity) == ["c", "b", "a"])
            let byScore = try await redis.zrangebyscoreWithScores(key, min: 3)
            #expect(byScore.map(\.member) == ["c", "d"] && byScore.map(\.score) == [3, 4])
            let revByScore = try await redis.zrevrangebyscoreWithScores(key, limit: (0, 1))
            #expect(revByScore.map(\.member) == ["d"] && revByScore.map(\.score) == [4])
            let lex = uniqueKey()
            try await redis.zadd(lex, [(0, "a"), (0, "b"), (0, "c"), (0, "d")])
            #expect(try await redis.zrangebylex(lex, min: "b", max: .exclusive("d")) == ["b", "c"])
            #expect(try await redis.zrangebylex(lex, limit: (1, 1)) == ["b"])
            #expect(try await redis.zrevrangebylex(lex, max: "c") == ["c", "b", "a"])
            #expect(try await redis.zlexcount(lex, min: .exclusive("a")) == 3)
            #expect(try await redis.zremrangebylex(lex, min: .min, max: "b") == 2)
            #expect(try await redis.zrange(lex) == ["c", "d"])
            try await redis.del(key, lex)
        }
    }

    @Test("zremrangebyrank/score, zrangestore, zinterstore/zunionstore with weights and aggregate")
    func storesAndRemoves() async throws {
        try await withRedis { redis in
            let a = uniqueKey(), b = uniqueKey(), dest = uniqueKey()
            try await redis.zadd(a, [(1, "x"), (2, "y"), (3, "z")])
            try await redis.zadd(b, [(10, "y"), (20, "z"), (30, "w")])
            #expect(try await redis.zinterstore(dest, [a, b]) == 2)
            #expect(try await redis.zscore(dest, "y") == 12)
            #expect(try await redis.zinterstore(dest, [a, b], weights: [2, 0.5], aggregate: .max) == 2)
            #expect(try await redis.zscore(dest, "z") == 10)
            #expect(try await redis.zunionstore(dest, [a, b], aggregate: .min) == 4)
            #expect(try await redis.zscore(dest, "z") == 3)
            #expect(try await redis.zscore(dest, "w") == 30)
            await expectInvalidArgument { try await redis.zunionstore(dest, [a, b], weights: [1]) }
            #expect(try await redis.zrangestore(dest, a, 0, 1) == 2)
            #expect(try await redis.zrange(dest) == ["x", "y"])
            #expect(try await redis.zrangestore(dest, b, min: .exclusive(10), max: .positiveInfinity) == 2)
            #expect(try await redis.zrange(dest) == ["z", "w"])
            #expect(try await redis.zremrangebyrank(b, 0, 0) == 1)
            #expect(try await redis.zremrangebyscore(a, min: 2, max: .positiveInfinity) == 2)
            #expect(try await redis.zrange(a) == ["x"])
            try await redis.del(a, b, dest)
        }
    }

    @Test("zpopmin, zpopmax, bzpopmin, bzpopmax")
    func pops() async throws {
        try await withRedis { redis in
            let key = uniqueKey(), empty = uniqueKey()
            try await redis.zadd(key, [(1, "a"), (2, "b"), (3, "c"), (4, "d")])
            let low = try await redis.zpopmin(key)
            #expect(low.map(\.member) == ["a"] && low.map(\.score) == [1])
            let high = try await redis.zpopmax(key, count: 2)
            #expect(high.map(\.member) == ["d", "c"] && high.map(\.score) == [4, 3])
            #expect(try await redis.zpopmin(empty).isEmpty)
            let blocking = try await redis.bzpopmin(empty, key, timeout: .milliseconds(100))
            #expect(blocking?.key == key && blocking?.member == "b" && blocking?.score == 2)
            #expect(try await redis.bzpopmax(empty, timeout: .milliseconds(50)) == nil)
            try await redis.zadd(key, score: 7, member: "z")
            let max = try await redis.bzpopmax(key, timeout: .milliseconds(100))
            #expect(max?.member == "z" && max?.score == 7)
            try await redis.del(key)
        }
    }

    @Test("zscan and izscan see every (member, score)")
    func scan() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let members = (0..<200).map { (score: Double($0) / 2, member: "m\($0)" as any RedisArgument) }
            #expect(try await redis.zadd(key, members) == 200)
            var seen: [String: Double] = [:]
            var cursor = 0
            repeat {
                let step = try await redis.zscan(key, cursor: cursor, count: 40)
                for item in step.items { seen[item.member] = item.score }
                cursor = step.cursor
            } while cursor != 0
            #expect(seen.count == 200 && seen["m5"] == 2.5)
            var iterated: [String: Double] = [:]
            for try await (member, score) in redis.izscan(key, match: "m19*") { iterated[member] = score }
            #expect(iterated == ["m19": 9.5, "m190": 95, "m191": 95.5, "m192": 96, "m193": 96.5, "m194": 97,
                                 "m195": 97.5, "m196": 98, "m197": 98.5, "m198": 99, "m199": 99.5])
            try await redis.del(key)
        }
    }
}
