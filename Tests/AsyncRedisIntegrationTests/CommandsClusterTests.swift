import Testing

@testable import AsyncRedis

/// Cluster administration commands against the six-node cluster scripts/servers.sh starts (read-only checks:
/// nothing here changes the cluster's layout).
@Suite("Cluster administration commands")
struct CommandsClusterTests {
    static func node() async throws -> Redis {
        let ports = try TestServers.value("REDIS_CLUSTER_PORTS").split(separator: ",").compactMap { Int($0) }
        let port = try #require(ports.first)
        return try await createRedis(.tcp(host: "127.0.0.1", port: port))
    }

    @Test("CLUSTER INFO, KEYSLOT, NODES, SLOTS, MYID and REPLICAS describe the running cluster")
    func describe() async throws {
        let redis = try await Self.node()
        defer { redis.close() }
        let info = try await redis.clusterInfo()
        #expect(info["cluster_state"] == "ok")
        #expect(info["cluster_known_nodes"] == "6")
        #expect(info["cluster_slots_assigned"] == "16384")
        // Known values of Redis's CRC16-based slot function.
        #expect(try await redis.clusterKeySlot("foo") == 12182)
        #expect(try await redis.clusterKeySlot("{user1000}.following") == (try await redis.clusterKeySlot("user1000")))
        let nodes = try await redis.clusterNodes()
        #expect(nodes.count == 6)
        let masters = nodes.filter { $0.flags.contains("master") }
        #expect(masters.count == 3)
        #expect(masters.flatMap(\.slots).reduce(0) { $0 + $1.count } == 16384)
        let myID = try await redis.clusterMyID()
        #expect(nodes.contains { $0.id == myID && $0.flags.contains("myself") })
        let slots = try await redis.clusterSlots()
        #expect(slots.reduce(0) { $0 + $1.slots.count } == 16384)
        #expect(slots.allSatisfy { $0.nodes.count == 2 })  // a master and its replica
        let master = try #require(masters.first)
        let replicas = try await redis.clusterReplicas(master.id)
        #expect(replicas.count == 1 && replicas[0].masterID == master.id)
        #expect(try await redis.clusterCountKeysInSlot(0) >= 0)
        await #expect(throws: ReplyError.self) { _ = try await redis.clusterForget("not-a-node-id") }
    }
}
