import AsyncRedisTestSupport
import Foundation
import Testing

@testable import AsyncRedis

/// The client cache of the Cluster client (`createRedisCluster(..., clientCache:)`), each test on a private
/// cluster of its own (`PrivateCluster`) since they change its layout: hits, invalidations from every master, and
/// nothing stale served after a resharding, a failover or a killed master.
@Suite("Cluster client cache", .serialized)
struct ClusterClientCacheTests {
    /// A cached cluster client and an uncached one (the "other client" that writes), closed after `body`.
    private func withClients(
        _ cluster: PrivateCluster, _ body: (_ redis: Redis, _ cache: RedisCache, _ other: Redis) async throws -> Void
    ) async throws {
        let redis = try await createRedisCluster(cluster.seeds, clientCache: RedisClientCache())
        let other = try await createRedisCluster(cluster.seeds)
        defer {
            redis.close()
            other.close()
        }
        try await body(redis, try #require(redis.cache), other)
    }

    /// `other` writes `key`; the cached client reads it twice, a miss then a hit.
    private func readTwiceThroughCache(_ key: String, redis: Redis, cache: RedisCache, other: Redis) async throws {
        try await other.set(key, "before")
        let hits = cache.hits
        #expect(try await redis.get(key) == "before")
        #expect(try await redis.get(key) == "before")
        #expect(cache.hits == hits + 1)
    }

    /// `other` writes `key` again: whichever master serves it now tracks the cached read and invalidates it.
    private func expectInvalidatedByCurrentMaster(_ key: String, redis: Redis, other: Redis) async throws {
        try await other.set(key, "again")
        try await waitUntil("the master serving \(key) invalidates it", seconds: 5) {
            try await redis.get(key) == "again"
        }
    }

    @Test("reads are hits on every master; another client's write invalidates through the key's master",
          .timeLimit(.minutes(2)))
    func hitsAndInvalidations() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        try await withClients(cluster) { redis, cache, other in
            let keys = PrivateCluster.masterRanges.map { "\(keyTag(inSlotsOf: $0).tag):k" }
            for key in keys { try await other.set(key, "1") }
            for _ in 0..<2 {
                for key in keys { #expect(try await redis.get(key) == "1") }
            }
            #expect(cache.misses == 3 && cache.hits == 3 && cache.count == 3)
            // Each master invalidates the key it serves, on the tracking connection that read it.
            for (index, key) in keys.enumerated() {
                try await other.set(key, "2")
                try await waitUntil("master \(index) invalidates \(key)", seconds: 5) { cache.invalidations > index }
                #expect(try await redis.get(key) == "2")
            }
            // MGET of one slot: one entry per key; a write through the client is seen by the very next read.
            let tag = keyTag(inSlotsOf: PrivateCluster.masterRanges[1]).tag
            try await redis.set("\(tag):a", "A")
            #expect(try await redis.mget("\(tag):a", "\(tag):b") == ["A", nil])
            #expect(try await redis.mget("\(tag):a", "\(tag):b") == ["A", nil])
            #expect(try await redis.get("\(tag):a") == "A")
            try await redis.set("\(tag):a", "B")
            #expect(try await redis.get("\(tag):a") == "B")
            // Keys of several slots are still refused as without a cache.
            await #expect(throws: CrossSlotError.self) { try await redis.mget(keys[0], keys[1]) }
            // The bare cluster client has no place for a cache: it says where to ask for one.
            await #expect(throws: InvalidArgumentError.self) {
                try await createCluster(cluster.seeds, options: RedisConnectionOptions(clientCache: RedisClientCache()))
            }
        }
    }

    @Test("a slot migrated to another master: the entry read from the old one is not served after the move",
          .timeLimit(.minutes(2)))
    func resharding() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        try await withClients(cluster) { redis, cache, other in
            let (tag, slot) = keyTag(inSlotsOf: PrivateCluster.masterRanges[0])
            let key = "\(tag):k"
            try await readTwiceThroughCache(key, redis: redis, cache: cache, other: other)
            try await cluster.migrate(slot: slot, from: 0, to: 1)
            try await other.set(key, "after")
            try await waitUntil("the cached client reads the write on the new master", seconds: 5) {
                try await redis.get(key) == "after"
            }
            // Cached again, now tracked by the new master: its invalidations reach the cache.
            let hits = cache.hits
            #expect(try await redis.get(key) == "after")
            #expect(try await redis.get(key) == "after")
            #expect(cache.hits > hits)
            try await expectInvalidatedByCurrentMaster(key, redis: redis, other: other)
        }
    }

    @Test("a master killed with SIGKILL: after the failover, another client's write is read at once",
          .timeLimit(.minutes(2)))
    func killedMaster() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        try await withClients(cluster) { redis, cache, other in
            let key = "\(keyTag(inSlotsOf: PrivateCluster.masterRanges[2]).tag):k"
            try await readTwiceThroughCache(key, redis: redis, cache: cache, other: other)
            let replica = try await cluster.replica(of: 2)
            let replicaConnection = try await cluster.connection(replica)
            defer { replicaConnection.close() }
            _ = try await replicaConnection.execute("READONLY")
            try await waitUntil("the replica has the key", seconds: 5) {
                try await replicaConnection.execute("GET", key, as: String?.self) == "before"
            }
            cluster.servers[2].stop()
            // Nobody tracks what the cache read from the dead master: it must not survive its tracking connection.
            try await waitUntil("the cache is dropped", seconds: 5) { cache.count == 0 }
            _ = try await withTimeLimit(.seconds(30)) { try await other.set(key, "after") }
            #expect(try await withTimeLimit(.seconds(30)) { try await redis.get(key) } == "after")
            // The new master tracks it from now on.
            #expect(try await redis.get(key) == "after")
            try await expectInvalidatedByCurrentMaster(key, redis: redis, other: other)
        }
    }

    @Test("CLUSTER FAILOVER: the old master, now a replica, and the new one leave nothing stale",
          .timeLimit(.minutes(2)))
    func manualFailover() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        try await withClients(cluster) { redis, cache, other in
            let key = "\(keyTag(inSlotsOf: PrivateCluster.masterRanges[0]).tag):k"
            try await readTwiceThroughCache(key, redis: redis, cache: cache, other: other)
            let replica = try await cluster.replica(of: 0)
            let promoted = try await cluster.connection(replica)
            defer { promoted.close() }
            _ = try await promoted.execute("CLUSTER", "FAILOVER")
            try await waitUntil("the replica is master", seconds: 20) {
                try await promoted.execute("ROLE").clusterArray?.first?.clusterText == "master"
            }
            _ = try await withTimeLimit(.seconds(30)) { try await other.set(key, "after") }
            let written = ContinuousClock.now
            try await waitUntil("the cached client reads the write on the new master", seconds: 5) {
                try await redis.get(key) == "after"
            }
            print("cluster cache, CLUSTER FAILOVER: the write was read after \(ContinuousClock.now - written)")
            try await expectInvalidatedByCurrentMaster(key, redis: redis, other: other)
        }
    }
}
