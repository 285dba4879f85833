import AsyncRedisTestSupport
import Testing

@testable import AsyncRedis

/// `readFrom:` on the shared cluster: reads go to replicas (READONLY connections), writes to masters.
@Suite("Cluster reads from replicas", .serialized)
struct ClusterReadFromTests {
    /// GET calls the replicas have served so far (INFO commandstats).
    static func replicaGets(_ cluster: RedisCluster) async throws -> Int {
        var total = 0
        for replica in cluster.nodes where !replica.isPrimary {
            let connection = try await ClusterTestServers.node(replica)
            defer { connection.close() }
            let stats = try await connection.execute("INFO", "commandstats", as: String.self)
            let line = stats.split(separator: "\r\n").first { $0.hasPrefix("cmdstat_get:") } ?? ""
            let calls = line.split(separator: ",").first { $0.hasPrefix("cmdstat_get:calls=") }
            total += calls.flatMap { Int($0.dropFirst("cmdstat_get:calls=".count)) } ?? 0
        }
        return total
    }

    @Test("readFrom .replica and .replicaPreferred: reads served by replicas, writes by masters",
          arguments: [RedisReadFrom.replica, .replicaPreferred])
    func readsFromReplicas(readFrom: RedisReadFrom) async throws {
        let cluster = try await ClusterTestServers.connect(readFrom: readFrom)
        try await withCluster(cluster) { (redis: Redis) async throws -> Void in
            #expect(cluster.readFrom == readFrom)
            let prefix = uniqueKey()
            let keys = (0..<30).map { "\(prefix):\($0)" }
            for key in keys { try await redis.set(key, key) }
            let before = try await Self.replicaGets(cluster)
            for key in keys {
                // Replicas lag their master a little: wait (bounded) for each write to arrive.
                try await waitUntil("\(key) replicated", seconds: 5) { try await redis.get(key) == key }
            }
            let after = try await Self.replicaGets(cluster)
            #expect(after - before >= keys.count)
            // Writes still work: they go to the masters.
            #expect(try await redis.incr("\(prefix):counter") == 1)
            #expect(try await redis.delete(keys[0]) == 1)
        }
    }

    @Test("readFrom .primary sends no read to a replica")
    func primaryOnly() async throws {
        let cluster = try await ClusterTestServers.connect()
        try await withCluster(cluster) { (redis: Redis) async throws -> Void in
            let key = uniqueKey()
            try await redis.set(key, "v")
            let before = try await Self.replicaGets(cluster)
            for _ in 0..<20 { #expect(try await redis.get(key) == "v") }
            #expect(try await Self.replicaGets(cluster) == before)
        }
    }
}
