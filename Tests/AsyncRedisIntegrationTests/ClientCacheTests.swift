import AsyncRedisTestSupport
import Foundation
import MetricsTestKit
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import AsyncRedis

/// Client-side caching against a real server: what is served from memory, what invalidates it, and the modes.
/// On a server of the suite's own: another suite's FLUSHDB on the shared server reaches every tracking client as a
/// nil invalidation, which would empty the cache between two reads that expect a hit.
@Suite("Client-side caching", .privateServer)
struct ClientCacheTests {
    private func cachedPool(
        _ cache: RedisClientCache = RedisClientCache(), address: RedisAddress? = nil, protocolVersion: Int = 2,
        metrics: TestMetrics? = nil
    ) async throws -> Redis {
        try await createRedisPool(
            address ?? SuitePrivateServer.address, maxSize: 4, protocolVersion: protocolVersion,
            instrumentation: metrics.map { RedisInstrumentation(metricsFactory: $0, gaugeInterval: .milliseconds(20)) }
                ?? .default,
            clientCache: cache)
    }

    /// Runs `body` with a cached pool and a plain client of the same server (the "other client" that writes),
    /// closing both afterwards.
    private func withCachedPool(
        _ cache: RedisClientCache = RedisClientCache(), address: RedisAddress? = nil, metrics: TestMetrics? = nil,
        _ body: (_ redis: Redis, _ other: Redis) async throws -> Void
    ) async throws {
        let redis = try await cachedPool(cache, address: address, metrics: metrics)
        let other = try await createRedis(address ?? SuitePrivateServer.address)
        defer {
            redis.close()
            other.close()
        }
        try await body(redis, other)
    }

    @Test("a repeated read is a hit, typed replies equal the server's, on a pool (RESP2) and a RESP3 connection")
    func hitsMatchServerReplies() async throws {
        let plain = try await createRedis(try SuitePrivateServer.address)
        defer { plain.close() }
        let key = uniqueKey()
        try await plain.set(key + ":s", "text")
        _ = try await plain.hset(key + ":h", ["f1": "1", "f2": "two"])
        _ = try await plain.sadd(key + ":set", "a", "b")
        _ = try await plain.zadd(key + ":z", [(1.5, "m1"), (3, "m2")])
        _ = try await plain.rpush(key + ":l", "x", "y")
        let pooled = try await cachedPool()
        let single = try await createRedis(
            try SuitePrivateServer.address, protocolVersion: 3, clientCache: RedisClientCache())
        defer {
            pooled.close()
            single.close()
        }
        for redis in [pooled, single] {
            for _ in 0..<2 {
                #expect(try await redis.get(key + ":s") == "text")
                #expect(try await redis.strlen(key + ":s") == 4)
                #expect(try await redis.hget(key + ":h", "f2") == "two")
                #expect(try await redis.hgetall(key + ":h") == ["f1": "1", "f2": "two"])
                #expect(try await redis.hmget(key + ":h", "f1", "nope") == ["1", nil])
                #expect(try await redis.smembers(key + ":set") == ["a", "b"])
                #expect(try await redis.sismember(key + ":set", "b"))
                #expect(try await redis.zscore(key + ":z", "m1") == 1.5)
                #expect(try await redis.zscore(key + ":z", "m2") == 3)
                #expect(try await redis.zrange(key + ":z") == ["m1", "m2"])
                #expect(try await redis.lrange(key + ":l", 0, -1) == ["x", "y"])
                #expect(try await redis.exists(key + ":s") == 1)
                #expect(try await redis.type(key + ":h") == "hash")
                #expect(try await redis.get(key + ":absent") == nil)
                #expect(try await redis.mget(key + ":s", key + ":absent") == ["text", nil])
            }
            // The raw replies too: a RESP2 caller gets RESP2 shapes from a hit.
            #expect(try await redis.execute("ZSCORE", key + ":z", "m2") == (try await plain.execute("ZSCORE", key + ":z", "m2"))
                || redis === single)
            let cache = try #require(redis.cache)
            #expect(cache.misses == 16, "one miss per distinct read (MGET: per key, one of them already cached)")
            #expect(cache.hits == 17)
            #expect(cache.count == 16 && cache.bytes > 0)
            // Errors are not cached: a wrong type still fails every time.
            await #expect(throws: ReplyError.self) { try await redis.get(key + ":h") }
            await #expect(throws: ReplyError.self) { try await redis.get(key + ":h") }
            cache.clear()
            #expect(cache.count == 0 && cache.bytes == 0)
        }
        _ = try await plain.delete(key + ":s", key + ":h", key + ":set", key + ":z", key + ":l")
    }

    @Test("another client's write invalidates the entry; this client's write evicts it before it is sent")
    func invalidation() async throws {
        try await withCachedPool { redis, other in
            let key = uniqueKey()
            try await redis.set(key, "1")
            #expect(try await redis.get(key) == "1")
            #expect(try await redis.get(key) == "1")
            let cache = try #require(redis.cache)
            #expect(cache.hits == 1)
            try await other.set(key, "2")
            try await waitUntil { cache.invalidations >= 1 }
            #expect(try await redis.get(key) == "2")
            // Through this client: the very next read sees the write, without waiting for the push.
            _ = try await redis.hset(key + ":h", ["f": "a"])
            #expect(try await redis.hget(key + ":h", "f") == "a")
            _ = try await redis.hset(key + ":h", ["f": "b"])
            #expect(try await redis.hget(key + ":h", "f") == "b")
            _ = try await redis.delete(key, key + ":h")
            #expect(try await redis.get(key) == nil)
        }
    }

    @Test("losing the tracking connection drops the whole cache; the next reads reconnect and stay fresh")
    func trackingConnectionLoss() async throws {
        try await withCachedPool { redis, other in
            let key = uniqueKey()
            try await redis.set(key, "before")
            #expect(try await redis.get(key) == "before")
            let cache = try #require(redis.cache)
            #expect(cache.count == 1)
            let tracking = try await cache.tracking.connection(for: [])
            let id = try await tracking.execute("CLIENT", "ID", as: Int.self)
            _ = try await other.execute("CLIENT", "KILL", "ID", id)
            try await waitUntil { cache.count == 0 }
            // Written while nobody tracks the key: a cache that kept its entry would serve "before" forever.
            try await other.set(key, "after")
            #expect(try await redis.get(key) == "after")
            #expect(try await redis.get(key) == "after")
            #expect(cache.hits == 1)
            try await other.set(key, "again")
            try await waitUntil { try await redis.get(key) == "again" }
            _ = try await redis.delete(key)
        }
    }

    @Test("FLUSHALL (a nil invalidation) empties the cache; so does one sent through the client")
    func flushAll() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        try await withCachedPool(address: server.address) { redis, other in
            try await redis.set("a", "1")
            try await redis.set("b", "2")
            #expect(try await redis.mget("a", "b") == ["1", "2"])
            let cache = try #require(redis.cache)
            #expect(cache.count == 2)
            _ = try await other.execute("FLUSHALL")
            try await waitUntil { cache.count == 0 }
            #expect(try await redis.mget("a", "b") == [nil, nil])
            try await redis.set("a", "3")
            #expect(try await redis.get("a") == "3")
            _ = try await redis.execute("FLUSHDB")
            #expect(try await redis.get("a") == nil)
        }
    }

    @Test("BCAST: only keys under the prefixes are cached, and they are invalidated without having been read")
    func broadcast() async throws {
        let prefix = uniqueKey() + ":"
        try await withCachedPool(RedisClientCache(prefixes: [prefix], mode: .broadcast)) { redis, other in
            try await redis.set(prefix + "k", "1")
            try await redis.set("outside:" + prefix, "1")
            for _ in 0..<2 {
                #expect(try await redis.get(prefix + "k") == "1")
                #expect(try await redis.get("outside:" + prefix) == "1")
            }
            let cache = try #require(redis.cache)
            #expect(cache.hits == 1 && cache.count == 1)
            try await other.set(prefix + "k", "2")
            try await waitUntil { try await redis.get(prefix + "k") == "2" }
            _ = try await redis.delete(prefix + "k", "outside:" + prefix)
        }
    }

    @Test("OPTIN: only reads made through `cached` are cached and tracked")
    func optIn() async throws {
        try await withCachedPool(RedisClientCache(mode: .optIn)) { redis, other in
            let key = uniqueKey()
            try await redis.set(key, "1")
            #expect(try await redis.get(key) == "1")
            #expect(try await redis.get(key) == "1")
            let cache = try #require(redis.cache)
            #expect(cache.hits == 0 && cache.misses == 0)
            #expect(try await redis.cached.get(key) == "1")
            #expect(try await redis.execute(RedisCommand<String?>("GET", [key]), cached: true) == "1")
            #expect(cache.hits == 1 && cache.misses == 1)
            try await other.set(key, "2")
            try await waitUntil { try await redis.cached.get(key) == "2" }
            _ = try await redis.delete(key)
        }
    }

    @Test("the cache stays within maxBytes, evicting the least recently used entries")
    func memoryBound() async throws {
        let redis = try await cachedPool(RedisClientCache(maxBytes: 20_000))
        defer { redis.close() }
        let key = uniqueKey()
        let value = String(repeating: "v", count: 500)
        for index in 0..<100 { try await redis.set("\(key):\(index)", value) }
        for index in 0..<100 { #expect(try await redis.get("\(key):\(index)") == value) }
        let cache = try #require(redis.cache)
        #expect(cache.bytes <= 20_000)
        #expect(cache.count > 10 && cache.count < 100)
        #expect(try await redis.get("\(key):99") == value)
        #expect(cache.hits == 1, "the most recent entry is still there")
        _ = try await redis.execute("DEL", arguments: (0..<100).map { "\(key):\($0)" })
    }

    @Test("hits, misses and invalidations are counted; the bytes gauge follows the cache")
    func metrics() async throws {
        let metrics = TestMetrics()
        // A server of its own: another test's FLUSHALL on the shared one would be counted here as an invalidation.
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        try await withCachedPool(address: server.address, metrics: metrics) { redis, other in
            let key = uniqueKey()
            try await redis.set(key, "1")
            for _ in 0..<3 { _ = try await redis.get(key) }
            try await other.set(key, "2")
            let name = ("redis.cache.name", "\(server.address)")
            let system = ("db.system.name", "redis")
            try await waitUntil {
                (try? metrics.expectCounter("redis.client.cache.invalidations", [system, name]).totalValue) == 1
            }
            #expect(try metrics.expectCounter("redis.client.cache.hits", [system, name]).totalValue == 2)
            #expect(try metrics.expectCounter("redis.client.cache.misses", [system, name]).totalValue == 1)
            _ = try await redis.get(key)
            let bytes = try metrics.expectGauge("redis.client.cache.bytes", [system, name])
            try await waitUntil { bytes.lastValue == Double(redis.cache!.bytes) && (bytes.lastValue ?? 0) > 0 }
            _ = try await redis.delete(key)
        }
    }

    @Test("SELECT on a cached client reads the new database through the cache")
    func select() async throws {
        let redis = try await createRedis(try SuitePrivateServer.address, clientCache: RedisClientCache())
        defer { redis.close() }
        let key = uniqueKey()
        try await redis.set(key, "db0")
        #expect(try await redis.get(key) == "db0")
        try await redis.select(5)
        #expect(try await redis.get(key) == nil)
        try await redis.set(key, "db5")
        #expect(try await redis.get(key) == "db5")
        _ = try await redis.delete(key)
        try await redis.select(0)
        #expect(try await redis.get(key) == "db0")
        _ = try await redis.delete(key)
    }
}
