import AsyncRedis
import Foundation
import Testing

/// The data commands Redis added in 6.2 and 7.0 (LMPOP, ZMPOP, ZDIFF, LCS, EXPIRETIME, SORT_RO, GEOSEARCHSTORE,
/// XSETID, EVAL_RO, ...) against the plain server, with their typed replies.
@Suite("Commands added in Redis 6.2 and 7.0: lists, sorted sets, strings, keys, geo, streams, scripts")
struct CommandsRedis7DataTests {
    @Test("LMPOP and BLMPOP pop from the first non-empty list and name it; nil when every list is empty",
          .needsRedis7("LMPOP and BLMPOP are new in Redis 7.0"))
    func listMultiPop() async throws {
        try await withRedis { redis in
            let (empty, full) = ("{lmpop}" + uniqueKey(), "{lmpop}" + uniqueKey())
            try await redis.rpush(full, values: ["a", "b", "c"])
            let popped = try #require(try await redis.lmpop([empty, full], end: .left, count: 2))
            #expect(popped.key == full && popped.elements == ["a", "b"])
            let tail = try #require(try await redis.blmpop([empty, full], end: .right, timeout: .milliseconds(100)))
            #expect(tail.key == full && tail.elements == ["c"])
            #expect(try await redis.lmpop([empty, full], end: .left) == nil)
            #expect(try await redis.blmpop([empty], end: .left, timeout: .milliseconds(50)) == nil)
            await expectInvalidArgument { try await redis.lmpop([], end: .left) }
        }
    }

    @Test("ZMPOP and BZMPOP pop members with their scores from the first non-empty sorted set",
          .needsRedis7("ZMPOP and BZMPOP are new in Redis 7.0"), arguments: [2, 3])
    func sortedSetMultiPop(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let (empty, full) = ("{zmpop}" + uniqueKey(), "{zmpop}" + uniqueKey())
            try await redis.zadd(full, [(1, "a"), (2, "b"), (3.5, "c")])
            let lowest = try #require(try await redis.zmpop([empty, full], .min, count: 2))
            #expect(lowest.key == full)
            #expect(lowest.members.map(\.member) == ["a", "b"] && lowest.members.map(\.score) == [1, 2])
            let highest = try #require(try await redis.bzmpop([full], .max, timeout: .milliseconds(100)))
            #expect(highest.members.map(\.member) == ["c"] && highest.members.map(\.score) == [3.5])
            #expect(try await redis.zmpop([empty, full], .min) == nil)
            #expect(try await redis.bzmpop([empty], .min, timeout: .milliseconds(50)) == nil)
        }
    }

    @Test("ZDIFF, ZDIFFSTORE, ZINTER, ZUNION and ZRANDMEMBER answer what the sets hold", arguments: [2, 3])
    func sortedSetAlgebra(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let (one, two, stored) = ("{zset}" + uniqueKey(), "{zset}" + uniqueKey(), "{zset}" + uniqueKey())
            try await redis.zadd(one, [(1, "a"), (2, "b"), (3, "c")])
            try await redis.zadd(two, [(10, "b"), (20, "d")])
            #expect(try await redis.zdiff([one, two]) == ["a", "c"])
            let diff = try await redis.zdiffWithScores([one, two])
            #expect(diff.map(\.member) == ["a", "c"] && diff.map(\.score) == [1, 3])
            #expect(try await redis.zdiffstore(stored, [one, two]) == 2)
            #expect(try await redis.zrange(stored) == ["a", "c"])
            let inter = try await redis.zinter([one, two], aggregate: .max)
            #expect(inter.map(\.member) == ["b"] && inter.map(\.score) == [10])
            let union = try await redis.zunion([one, two], weights: [1, 2])
            #expect(union.map(\.member) == ["a", "c", "b", "d"] && union.map(\.score) == [1, 3, 22, 40])
            let random = try #require(try await redis.zrandmember(one))
            #expect(["a", "b", "c"].contains(random))
            #expect(Set(try await redis.zrandmember(one, count: 3)) == ["a", "b", "c"])
            let scored = try await redis.zrandmemberWithScores(one, count: -5)
            #expect(scored.count == 5 && scored.allSatisfy { ["a": 1.0, "b": 2, "c": 3][$0.member] == $0.score })
            #expect(try await redis.zrandmember(uniqueKey()) == nil)
        }
    }

    @Test("ZINTERCARD counts the common members, up to a limit", .needsRedis7("ZINTERCARD is new in Redis 7.0"))
    func zintercard() async throws {
        try await withRedis { redis in
            let (one, two) = ("{zic}" + uniqueKey(), "{zic}" + uniqueKey())
            try await redis.zadd(one, [(1, "a"), (2, "b"), (3, "c")])
            try await redis.zadd(two, [(1, "b"), (2, "c"), (3, "d")])
            #expect(try await redis.zintercard([one, two]) == 2)
            #expect(try await redis.zintercard([one, two], limit: 1) == 1)
        }
    }

    @Test("LCS: the subsequence, its length, and where its matches are", .needsRedis7("LCS is new in Redis 7.0"))
    func lcs() async throws {
        try await withRedis { redis in
            let (one, two) = ("{lcs}" + uniqueKey(), "{lcs}" + uniqueKey())
            try await redis.set(one, "ohmytext")
            try await redis.set(two, "mynewtext")
            #expect(try await redis.lcs(one, two) == "mytext")
            #expect(try await redis.lcsLength(one, two) == 6)
            let found = try await redis.lcsMatches(one, two, minMatchLength: 4, withMatchLength: true)
            #expect(found.length == 6)
            #expect(found.matches == [LCSMatch(first: 4...7, second: 5...8, length: 4)])
            let all = try await redis.lcsMatches(one, two)
            #expect(all.matches.map(\.first) == [4...7, 2...3] && all.matches.allSatisfy { $0.length == nil })
        }
    }

    @Test("SUBSTR and BITFIELD_RO read a string")
    func substrAndBitfieldRO() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.set(key, "hello")
            #expect(try await redis.substr(key, start: 1, end: 3) == "ell")
            // 'h' is 0x68 = 104; its high nibble is 6.
            #expect(try await redis.bitfieldRO(key, gets: [("u8", 0), ("u4", 0)]) == [104, 6])
            await expectInvalidArgument { try await redis.bitfieldRO(key, gets: []) }
        }
    }

    @Test("EXPIRETIME and PEXPIRETIME: the expiry as Unix time, -1 without one, -2 without the key",
          .needsRedis7("EXPIRETIME and PEXPIRETIME are new in Redis 7.0"))
    func expiretime() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.set(key, "v")
            #expect(try await redis.expiretime(key) == -1)
            let at = Int(Date().timeIntervalSince1970) + 1000
            try await redis.expireat(key, at)
            #expect(try await redis.expiretime(key) == at)
            #expect(try await redis.pexpiretime(key) == at * 1000)
            #expect(try await redis.expiretime(uniqueKey()) == -2)
        }
    }

    @Test("SORT_RO sorts like SORT", .needsRedis7("SORT_RO is new in Redis 7.0"))
    func sortRO() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.rpush(key, values: [3, 1, 2])
            #expect(try await redis.sortRO(key) == ["1", "2", "3"])
            #expect(try await redis.sortRO(key, limit: (offset: 0, count: 2), order: .descending) == ["3", "2"])
        }
    }

    @Test("RESTORE-ASKING restores a DUMP payload like RESTORE")
    func restoreAsking() async throws {
        try await withRedis { redis in
            let (source, target) = (uniqueKey(), uniqueKey())
            try await redis.set(source, "payload")
            let dumped = try #require(try await redis.dump(source))
            #expect(try await redis.restoreAsking(target, value: dumped))
            #expect(try await redis.get(target) == "payload")
        }
    }

    @Test("GEOSEARCHSTORE stores what GEOSEARCH finds; the _RO radius commands find the same members")
    func geo() async throws {
        try await withRedis { redis in
            let (key, stored) = ("{geo}" + uniqueKey(), "{geo}" + uniqueKey())
            try await redis.geoadd(key, [(13.361389, 38.115556, "Palermo"), (15.087269, 37.502669, "Catania")])
            let count = try await redis.geosearchstore(
                stored, key, from: .coordinates(GeoPoint(longitude: 15, latitude: 37)), by: .radius(200, .kilometers),
                order: .ascending)
            #expect(count == 2)
            #expect(try await redis.zcard(stored) == 2)
            let near = try await redis.georadiusRO(
                key, longitude: 15, latitude: 37, radius: 100, unit: .kilometers, withDist: true)
            #expect(near.map(\.name) == ["Catania"] && (near.first?.distance ?? 0) > 50)
            let byMember = try await redis.georadiusbymemberRO(key, member: "Palermo", radius: 300, unit: .kilometers,
                                                               order: .ascending)
            #expect(byMember.map(\.name) == ["Palermo", "Catania"])
        }
    }

    @Test("XSETID moves a stream's last id: ids at or below it are refused afterwards")
    func xsetid() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.xadd(key, id: "5-0", fields: ["f": "v"])
            #expect(try await redis.xsetid(key, lastID: "10-0"))
            await expectReplyError(code: "ERR") { try await redis.xadd(key, id: "7-0", fields: ["f": "v"]) }
            #expect(try await redis.xadd(key, id: "11-0", fields: ["f": "v"]) == "11-0")
            await expectReplyError(code: "ERR") { try await redis.xsetid(key, lastID: "1-0") }
        }
    }

    @Test("EVAL_RO and EVALSHA_RO run reading scripts and refuse writing ones",
          .needsRedis7("EVAL_RO and EVALSHA_RO are new in Redis 7.0"))
    func readOnlyScripts() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.set(key, "value")
            let read = "return redis.call('GET', KEYS[1])"
            #expect(try await String(fromRESP: redis.evalRO(read, keys: [key]), encoding: .utf8) == "value")
            let sha = try await redis.scriptLoad(read)
            #expect(try await String(fromRESP: redis.evalshaRO(sha, keys: [key]), encoding: .utf8) == "value")
            await #expect(throws: ReplyError.self) {
                try await redis.evalRO("return redis.call('SET', KEYS[1], 'x')", keys: [key])
            }
            #expect(try await redis.get(key) == "value")
        }
    }

    @Test("PFDEBUG reports a HyperLogLog's encoding")
    func hyperLogLogDebug() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.pfadd(key, "a", "b")
            #expect(try await String(fromRESP: redis.pfdebug("ENCODING", key), encoding: .utf8) == "sparse")
        }
    }
}
