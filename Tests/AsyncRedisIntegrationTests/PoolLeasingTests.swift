import AsyncRedisTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import AsyncRedis

@Suite("Pool leasing: shared choice, withConnection, getConnection(command)")
struct PoolLeasingTests {
    @Test("under concurrent shared commands and leases, a shared GET never waits behind a lessee's blocking call")
    func sharedNeverBehindBlocking() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 2, maxSize: 2)
        defer { pool.close() }
        let key = uniqueKey()
        for _ in 0..<20 {
            // The lessee blocks until pushed to; a GET queued behind it would hang until then.
            let list = uniqueKey("list")
            let lessee = Task {
                try await pool.withConnection { leased in _ = try await leased.execute("BLPOP", list, 0) }
            }
            try await withTimeLimit(.seconds(5)) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<10 { group.addTask { _ = try await pool.execute("GET", key) } }
                    try await group.waitForAll()
                }
            }
            try await withConnection { other in _ = try await other.execute("LPUSH", list, "go") }
            try await withTimeLimit(.seconds(5)) { try await lessee.value }
        }
    }

    @Test("Redis.withConnection runs its body on one leased connection, with the Redis interface")
    func redisWithConnection() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 3)
        defer { redis.close() }
        let pool = try #require(redis.connection as? ConnectionsPool)
        let key = uniqueKey()
        let ids = try await redis.withConnection { r in
            #expect(pool.freeSize == pool.size - 1)
            try await r.set(key, "1")
            try await r.watch(key)
            let first = try await r.execute("CLIENT", "ID", as: Int.self)
            _ = try await r.incr(key)
            return [first, try await r.execute("CLIENT", "ID", as: Int.self)]
        }
        #expect(ids[0] == ids[1])
        #expect(pool.freeSize == pool.size)
        // On a single connection the body gets the same Redis.
        try await withRedis { single in
            let same = try await single.withConnection { r in r === single }
            #expect(same)
        }
    }

    @Test("getConnection and acquire with a Pub/Sub command give the Pub/Sub connection")
    func connectionForCommand() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 2, maxSize: 3)
        defer { pool.close() }
        let (forSubscribe, address) = pool.getConnection("SUBSCRIBE", [uniqueKey()])
        let pubsub = try #require(forSubscribe)
        #expect(address == pool.address)
        #expect(pool.getConnection("subscribe").0 === pubsub)
        #expect(try await pool.acquire("psubscribe") === pubsub)
        pool.release(pubsub)  // harmless: it stays the Pub/Sub connection
        #expect(try await pool.acquire("SUBSCRIBE") === pubsub)
        let name = uniqueKey()
        _ = try await pool.executePubSub("subscribe", name)
        #expect(pubsub.pubsubChannels[name] != nil)
        let other = try await pool.acquire("GET", [name])
        #expect(other !== pubsub)
        #expect(pool.getConnection("GET").0 !== pubsub)
        pool.release(other)
    }
}
