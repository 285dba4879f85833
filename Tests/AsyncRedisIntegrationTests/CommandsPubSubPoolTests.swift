import AsyncRedisTestSupport
import Foundation
import Testing

@testable import AsyncRedis

@Suite("Redis over a pool: createRedisPool, Pub/Sub commands, JSON")
struct CommandsPubSubPoolTests {
    @Test("createRedisPool runs commands over the pool and subscribes on a dedicated connection")
    func pubsubOverPool() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 3)
        defer { redis.close() }
        #expect(redis.connection is ConnectionsPool)
        let name = uniqueKey("poolsub")
        let pattern = "\(name):*"
        let channels = try await redis.subscribe(name)
        let patterns = try await redis.psubscribe(pattern)
        #expect(redis.channels[name] === channels[0])
        #expect(redis.patterns[pattern] === patterns[0])
        // The pool keeps serving ordinary commands beside the subscriber.
        #expect(try await redis.publish(name, "hello") == 1)
        #expect(try await redis.publish("\(name):x", "via-pattern") == 1)
        #expect(try await withTimeLimit { try await channels[0].get() }?.string() == "hello")
        #expect(try await withTimeLimit { try await patterns[0].get() }?.channel == "\(name):x")
        #expect(try await redis.pubsubChannels(pattern: name) == [name])
        #expect(try await redis.pubsubNumsub(name) == [name: 1])
        #expect(try await redis.pubsubNumpat() >= 1)
        try await redis.unsubscribe(name)
        try await redis.punsubscribe(pattern)
        #expect(try await channels[0].get() == nil)
        #expect(redis.channels.isEmpty)
    }

    @Test("select on a pooled Redis moves the whole pool; SELECT through execute is refused")
    func selectOnPool() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 2, maxSize: 2)
        defer { redis.close() }
        #expect(try await redis.select(8))
        #expect(redis.db == 8)
        let info = try await redis.execute("CLIENT", "INFO", as: String.self)
        #expect(info.contains(" db=8 "))
        await #expect(throws: InvalidArgumentError.self) { _ = try await redis.execute("SELECT", 2) }
    }

    @Test("getJSON and setJSON round-trip Codable values")
    func json() async throws {
        struct Profile: Codable, Equatable { var name: String; var tags: [String] }
        try await withRedis { redis in
            let key = uniqueKey()
            let stored = try await redis.setJSON(key, Profile(name: "ada", tags: ["math"]), expire: .seconds(60))
            #expect(stored)
            let loaded = try await redis.getJSON(key, as: Profile.self)
            #expect(loaded == Profile(name: "ada", tags: ["math"]))
            let missing = try await redis.getJSON(uniqueKey("missing"), as: Profile.self)
            #expect(missing == nil)
            _ = try await redis.execute("DEL", key)
        }
    }
}
