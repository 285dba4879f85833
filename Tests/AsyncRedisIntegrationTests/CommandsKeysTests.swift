import Foundation
import Testing

@testable import AsyncRedis

@Suite("Commands: generic (keys)")
struct CommandsKeysTests {
    @Test("del, delete, unlink, exists, touch count keys")
    func deleteAndExists() async throws {
        try await withRedis { redis in
            let a = uniqueKey(), b = uniqueKey(), c = uniqueKey(), missing = uniqueKey()
            try await redis.mset((a, "1"), (b, "2"), (c, "3"))
            #expect(try await redis.exists(a, b, missing) == 2)
            #expect(try await redis.exists(a, a) == 2)
            #expect(try await redis.touch(a, missing) == 1)
            #expect(try await redis.del(a, missing) == 1)
            #expect(try await redis.delete(b) == 1)
            #expect(try await redis.unlink(c, missing) == 1)
            #expect(try await redis.del([]) == 0)
            #expect(try await redis.exists(a, b, c) == 0)
        }
    }

    @Test("expire, ttl, pttl, persist, pexpire, expireat, pexpireat, Duration")
    func expiry() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.expire(key, .seconds(10)) == false)
            #expect(try await redis.ttl(key) == -2)
            try await redis.set(key, "v")
            #expect(try await redis.ttl(key) == -1)
            #expect(try await redis.expire(key, .seconds(100)))
            #expect((99...100).contains(try await redis.ttl(key)))
            #expect(try await redis.persist(key))
            #expect(try await redis.persist(key) == false)
            #expect(try await redis.pexpire(key, .milliseconds(30_000)))
            #expect((29_000...30_000).contains(try await redis.pttl(key)))
            #expect(try await redis.expire(key, .milliseconds(45_500)))
            #expect((44_500...45_500).contains(try await redis.pttl(key)))
            let now = Int(Date().timeIntervalSince1970)
            #expect(try await redis.expireat(key, now + 200))
            #expect((195...201).contains(try await redis.ttl(key)))
            #expect(try await redis.pexpireat(key, (now + 300) * 1000))
            #expect((295...301).contains(try await redis.ttl(key)))
            #expect(try await redis.pexpire(key, .milliseconds(1)))
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await redis.exists(key) == 0)
            #expect(Redis.milliseconds(.microseconds(1500)) == 2)
            #expect(Redis.milliseconds(.seconds(2)) == 2000)
        }
    }

    @Test("keys, type, rename, renamenx, randomkey")
    func keysAndRename() async throws {
        try await withRedis { redis in
            let prefix = uniqueKey()
            let a = prefix + ":a", b = prefix + ":b"
            try await redis.set(a, "1")
            try await redis.rpush(b, "x")
            #expect(Set(try await redis.keys(prefix + ":*")) == [a, b])
            #expect(try await redis.type(a) == "string")
            #expect(try await redis.type(b) == "list")
            #expect(try await redis.type(prefix) == "none")
            #expect(try await redis.renamenx(a, b) == false)
            let c = prefix + ":c"
            #expect(try await redis.renamenx(a, c))
            #expect(try await redis.rename(c, a))
            await expectReplyError(code: "ERR") { try await redis.rename(c, a) }
            // Latin-1 decodes any key: another suite's binary key on the shared server may be the random one.
            #expect(try await redis.randomkey(encoding: .latin1) != nil)
            try await redis.del(a, b)
        }
    }

    @Test("dump and restore round-trip, with REPLACE")
    func dumpRestore() async throws {
        try await withRedis { redis in
            let key = uniqueKey(), copy = uniqueKey()
            #expect(try await redis.dump(key) == nil)
            try await redis.rpush(key, "a", "b")
            let dumped = try #require(try await redis.dump(key))
            #expect(try await redis.restore(copy, value: dumped))
            #expect(try await redis.lrange(copy) == ["a", "b"])
            await expectReplyError(code: "BUSYKEY") { try await redis.restore(copy, value: dumped) }
            #expect(try await redis.restore(copy, ttl: .milliseconds(60_000), value: dumped, replace: true))
            #expect((59...60).contains(try await redis.ttl(copy)))
            try await redis.del(key, copy)
        }
    }

    @Test("move and copy between dbs")
    func moveAndCopy() async throws {
        try await withRedis(db: 9) { redis in
            let key = uniqueKey(), other = uniqueKey()
            try await redis.set(key, "v")
            #expect(try await redis.copy(key, other))
            #expect(try await redis.copy(key, other) == false)
            try await redis.set(key, "w")
            #expect(try await redis.copy(key, other, replace: true))
            #expect(try await redis.get(other) == "w")
            #expect(try await redis.copy(key, key + ":db10", db: 10))
            #expect(try await redis.move(key, db: 10))
            #expect(try await redis.exists(key) == 0)
            #expect(try await redis.move(key, db: 10) == false)
            try await redis.select(10)
            #expect(try await redis.get(key) == "w")
            #expect(try await redis.get(key + ":db10") == "w")
            try await redis.del(key, key + ":db10")
            try await redis.select(9)
            try await redis.del(other)
            await expectInvalidArgument { try await redis.move(key, db: -1) }
        }
    }

    @Test("object encoding, refcount, idletime, freq")
    func object() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.objectEncoding(key) == nil)
            try await redis.set(key, 12345)
            #expect(try await redis.objectEncoding(key) == "int")
            try await redis.set(key, "text")
            #expect(try await redis.objectEncoding(key) == TestServerFlavour.shortStringEncoding)
            #expect(try await redis.objectRefcount(key) == 1)
            #expect((0...5).contains(try await redis.objectIdletime(key) ?? -1))
            // FREQ needs an LFU policy, which the shared server does not use.
            await expectReplyError(code: "ERR") { try await redis.objectFreq(key) }
            try await redis.del(key)
        }
    }

    @Test("sort: numeric, alpha, desc, limit, by, get, store")
    func sort() async throws {
        try await withRedis { redis in
            let list = uniqueKey(), dest = uniqueKey(), weight = uniqueKey(), name = uniqueKey()
            try await redis.rpush(list, 3, 1, 2)
            #expect(try await redis.sort(list) == ["1", "2", "3"])
            #expect(try await redis.sort(list, order: .descending) == ["3", "2", "1"])
            #expect(try await redis.sort(list, limit: (1, 1)) == ["2"])
            try await redis.mset((weight + "_1", "30"), (weight + "_2", "10"), (weight + "_3", "20"))
            try await redis.mset((name + "_1", "one"), (name + "_3", "three"))
            #expect(try await redis.sort(list, by: weight + "_*") == ["2", "3", "1"])
            #expect(try await redis.sort(list, get: [name + "_*", "#"]) == ["one", "1", nil, "2", "three", "3"])
            #expect(try await redis.sort(list, order: .descending, store: dest) == 3)
            #expect(try await redis.lrange(dest) == ["3", "2", "1"])
            let words = uniqueKey()
            try await redis.rpush(words, "b", "a", "c")
            #expect(try await redis.sort(words, alpha: true) == ["a", "b", "c"])
            await expectReplyError(code: "ERR") { try await redis.sort(words) }
            try await redis.del(list, dest, words, weight + "_1", weight + "_2", weight + "_3", name + "_1", name + "_3")
        }
    }

    @Test("scan steps and iscan follow the cursor to the end, with match, count and type")
    func scan() async throws {
        try await withRedis { redis in
            let prefix = uniqueKey()
            let keys = (0..<25).map { "\(prefix):\($0)" }
            try await redis.mset(keys.map { ($0, "v") }.reduce(into: [String: String]()) { $0[$1.0] = $1.1 })
            let hash = prefix + ":hash"
            try await redis.hset(hash, "f", "v")
            var seen = Set<String>()
            var cursor = 0
            repeat {
                let step = try await redis.scan(cursor: cursor, match: prefix + ":*", count: 10)
                seen.formUnion(step.keys)
                cursor = step.cursor
            } while cursor != 0
            #expect(seen == Set(keys + [hash]))
            var iterated = Set<String>()
            for try await key in redis.iscan(match: prefix + ":*", count: 5) { iterated.insert(key) }
            #expect(iterated == seen)
            var hashes: [String] = []
            for try await key in redis.iscan(match: prefix + ":*", count: 100, type: "hash") { hashes.append(key) }
            #expect(hashes == [hash])
            var none = 0
            for try await _ in redis.iscan(match: uniqueKey() + ":*") { none += 1 }
            #expect(none == 0)
            try await redis.del(keys + [hash])
        }
    }

    @Test("wait with no replicas returns 0; migrate of a missing key is NOKEY → false")
    func waitAndMigrate() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.set(key, "v")
            #expect(try await redis.wait(replicas: 0, timeout: .milliseconds(10)) == 0)
            #expect(try await redis.migrate(host: TestServers.host, port: try TestServers.port(), key: uniqueKey(),
                                            destinationDB: 1, timeout: .milliseconds(100)) == false)
            await expectInvalidArgument {
                try await redis.migrate(
                    host: "h", port: 1, key: "k", destinationDB: 0, timeout: .milliseconds(1), keys: ["x"])
            }
            try await redis.del(key)
        }
    }
}
