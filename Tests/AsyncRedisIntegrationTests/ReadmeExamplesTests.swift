import Foundation
import Testing

@testable import AsyncRedis

/// The README's examples, run for real: if the README drifts from the API, this stops compiling or fails.
@Suite("README examples")
struct ReadmeExamplesTests {
    @Test("command interface, transactions, scripts and locks as the README shows them")
    func commandsAndTransactions() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 2, maxSize: 10)
        defer { redis.close() }
        let prefix = uniqueKey("readme")
        try await redis.set("\(prefix):name", "Ada", expire: .seconds(3600))
        #expect(try await redis.get("\(prefix):name") == "Ada")
        _ = try await redis.hset("\(prefix):user", ["name": "Ada", "lang": "swift"])
        #expect(try await redis.hgetall("\(prefix):user") == ["name": "Ada", "lang": "swift"])
        _ = try await redis.zadd("\(prefix):scores", score: 42, member: "ada")
        let top = try await redis.zrangeWithScores("\(prefix):scores", 0, 9)
        #expect(top.map(\.member) == ["ada"] && top.map(\.score) == [42])
        var keys: [String] = []
        for try await key in redis.iscan(match: "\(prefix):*") { keys.append(key) }
        #expect(Set(keys) == ["\(prefix):name", "\(prefix):user", "\(prefix):scores"])
        #expect(try await redis.blpop("\(prefix):jobs", timeout: .milliseconds(100)) == nil)

        let tx = redis.multiExec()
        let visits = tx.queue { try $0.incr("\(prefix):visits") }
        tx.queue { try $0.expire("\(prefix):visits", .seconds(60)) }
        #expect(try await tx.execute() == [.integer(1), .integer(1)])
        #expect(try await visits.value == 1)
        let replies = try await redis.pipeline { pipe in
            pipe.add("SET", "\(prefix):greeting", "hi")
            pipe.add("GET", "\(prefix):greeting")
        }
        #expect(replies.map { $0.string() } == ["OK", "hi"])
        _ = try await redis.transaction(watching: ["\(prefix):balance"]) { tx in
            let balance = try await tx.execute("GET", "\(prefix):balance", as: Int?.self) ?? 0
            return [("SET", ["\(prefix):balance", balance + 10])]
        }
        #expect(try await redis.get("\(prefix):balance") == "10")
        let bump = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try await bump.run(on: redis, keys: ["\(prefix):counter"], args: [5], as: Int.self) == 5)
        let lock = RedisLock(redis: redis, name: "\(prefix):lock", timeout: .seconds(10), blockingTimeout: .seconds(2))
        let inside = try await lock.withLock { try await lock.owned() }
        #expect(inside)
        #expect(try await lock.owned() == false)
        _ = try await redis.execute("DEL", arguments: keys + ["\(prefix):visits", "\(prefix):greeting", "\(prefix):balance", "\(prefix):counter"])
    }

    @Test("the stream consumer group example")
    func streamConsumer() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 4)
        defer { redis.close() }
        let jobs = uniqueKey("readme:jobs")
        try await redis.xadd(jobs, fields: ["kind": "resize", "image": "42.png"], trim: .maxLen(10_000, approximate: true))
        try await redis.xgroupCreate(jobs, "workers", id: "0", mkStream: true)
        let batches = try await redis.xreadgroup(group: "workers", consumer: "worker-1", streams: [jobs: ">"],
                                                 count: 10, block: .seconds(5))
        var images: [String] = []
        for entry in batches.flatMap(\.entries) {
            images.append(entry.string("image") ?? "")
            #expect(try await redis.xack(jobs, "workers", entry.id) == 1)
        }
        #expect(images == ["42.png"])
        let stale = try await redis.xautoclaim(jobs, "workers", "worker-2", minIdleTime: .seconds(60))
        #expect(stale.entries.isEmpty)
        let pending = try await redis.xpending(jobs, "workers")
        #expect(pending.count == 0)
        _ = try await redis.execute("DEL", jobs)
    }
}
