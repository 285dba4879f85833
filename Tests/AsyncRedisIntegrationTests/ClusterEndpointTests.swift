import AsyncRedisTestSupport
import Testing

@testable import AsyncRedis

/// Nodes that announce an endpoint other than the one they were seeded by, each a private cluster
/// (`PrivateCluster`): the client connects where the cluster says.
@Suite("Cluster announced endpoints", .serialized)
struct ClusterEndpointTests {
    @Test("nodes announcing the host name localhost: the layout and MOVED name it, the client connects by it",
          .needsRedis7("cluster-announce-hostname"), .timeLimit(.minutes(2)))
    func announcedHostName() async throws {
        let cluster = try await PrivateCluster(extraArguments: [
            "--cluster-announce-hostname", "localhost", "--cluster-preferred-endpoint-type", "hostname",
        ])
        defer { cluster.stop() }
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (_: Redis) async throws -> Void in
            #expect(client.nodes.count == 6)
            #expect(client.nodes.allSatisfy { $0.host == "localhost" }, "\(client.nodes)")
            // MOVED names localhost too.
            let owner = try await Self.followMoved(cluster: cluster, client: client, from: 0, to: 1)
            #expect(owner.host == "localhost")
        }
    }

    @Test("nodes announcing an IP other than the one seeded (127.0.0.2): the client connects to the announced one",
          .timeLimit(.minutes(2)))
    func announcedIP() async throws {
        let cluster = try await PrivateCluster(extraArguments: [
            "--bind", "127.0.0.1", "127.0.0.2", "--cluster-announce-ip", "127.0.0.2",
        ])
        defer { cluster.stop() }
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            try await waitUntil("every node announces 127.0.0.2", seconds: 10) {
                try await client.refreshTopology()
                return client.nodes.count == 6 && client.nodes.allSatisfy { $0.host == "127.0.0.2" }
            }
            #expect(client.nodes.allSatisfy { $0.host == "127.0.0.2" }, "\(client.nodes)")
            let keys = (0..<3).map { "\(keyTag(inSlotsOf: PrivateCluster.masterRanges[$0]).tag):k" }
            for key in keys { try await redis.set(key, key) }
            for key in keys { #expect(try await redis.get(key) == key) }
            // Each master sees this client's commands arrive on its 127.0.0.2 address.
            for index in 0..<3 {
                let admin = try await cluster.connection(index)
                defer { admin.close() }
                let clients = try await admin.execute("CLIENT", "LIST", as: String.self)
                #expect(clients.contains("laddr=127.0.0.2:\(cluster.servers[index].port)"), "\(clients)")
            }
        }
    }

    @Test("nodes announcing no endpoint (\"?\", unknown-endpoint): the client uses the address the reply came from",
          .needsRedis7("cluster-preferred-endpoint-type"), .timeLimit(.minutes(2)))
    func unknownEndpoint() async throws {
        let cluster = try await PrivateCluster(extraArguments: ["--cluster-preferred-endpoint-type", "unknown-endpoint"])
        defer { cluster.stop() }
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (_: Redis) async throws -> Void in
            #expect(client.nodes.count == 6)
            #expect(client.nodes.allSatisfy { $0.host == "127.0.0.1" }, "\(client.nodes)")
            // MOVED then names ":port" (no host): the node that answered is on the same host.
            let owner = try await Self.followMoved(cluster: cluster, client: client, from: 2, to: 0)
            #expect(owner == ClusterEndpoint(host: "127.0.0.1", port: cluster.servers[0].port))
        }
    }

    /// Moves a slot of master `source` to master `target` behind the client's back, reads a key of it through the
    /// client (which follows the MOVED), and returns where the client now sends the slot.
    private static func followMoved(cluster: PrivateCluster, client: RedisCluster, from source: Int, to target: Int)
        async throws -> ClusterEndpoint
    {
        let redis = Redis(client)
        let (tag, slot) = keyTag(inSlotsOf: PrivateCluster.masterRanges[source])
        try await redis.set("\(tag):k", "v")
        try await cluster.migrate(slot: slot, from: source, to: target)
        let moved = client.redirectionCounts.moved
        #expect(try await redis.get("\(tag):k") == "v")
        #expect(client.redirectionCounts.moved > moved)
        return try client.node(for: slot, readOnly: false, replicas: false)
    }
}
