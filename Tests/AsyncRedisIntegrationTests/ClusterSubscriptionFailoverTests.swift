import AsyncRedisTestSupport
import NIOCore
import Testing

@testable import AsyncRedis

/// Plain SUBSCRIBE/PSUBSCRIBE on a cluster when the node holding the subscription dies (SIGKILL), on a private
/// cluster (`PrivateCluster`).
@Suite("Cluster SUBSCRIBE across node loss", .serialized)
struct ClusterSubscriptionFailoverTests {
    @Test("the subscription moves to another node: same channel objects, a gap marker, messages flow again",
          .timeLimit(.minutes(2)))
    func subscriptionFollowsNodeLoss() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            let name = uniqueKey()
            let channel = try #require(try await redis.subscribe(name).first)
            let pattern = try #require(try await redis.psubscribe("\(name).*").first)
            let endpoint = try #require(client.plainSubscriptions.endpoint)
            let holder = try #require(cluster.servers.firstIndex { $0.port == endpoint.port })
            let publisherIndex = (holder + 1) % cluster.servers.count
            let publisher = try await cluster.connection(publisherIndex)
            defer { publisher.close() }
            _ = try await publisher.execute("PUBLISH", name, "before")
            #expect(try await withTimeLimit { try await channel.get() }?.payload == ByteBuffer(string: "before"))

            cluster.servers[holder].stop()
            let killed = ContinuousClock.now
            let marker = try await withTimeLimit(.seconds(15)) { try await channel.get() }
            let patternMarker = try await withTimeLimit(.seconds(15)) { try await pattern.get() }
            print("SUBSCRIBE after a killed node: resubscribed after \(ContinuousClock.now - killed)")
            #expect(marker?.kind == .resubscribed)
            #expect(patternMarker?.kind == .resubscribed)
            #expect(client.plainSubscriptions.endpoint != endpoint)
            #expect(client.pubsubChannels[name] === channel)
            #expect(client.pubsubPatterns["\(name).*"] === pattern)

            // Published on a node other than the new holder: the cluster relays it.
            _ = try await publisher.execute("PUBLISH", name, "after")
            _ = try await publisher.execute("PUBLISH", "\(name).x", "patterned")
            #expect(try await withTimeLimit { try await channel.get() }?.payload == ByteBuffer(string: "after"))
            #expect(try await withTimeLimit { try await pattern.get() }?.payload == ByteBuffer(string: "patterned"))

            // Unsubscribed channels are not taken along on the next loss.
            try await redis.unsubscribe(name)
            #expect(client.pubsubChannels[name] == nil)
            #expect(client.pubsubPatterns.count == 1)
        }
    }
}
