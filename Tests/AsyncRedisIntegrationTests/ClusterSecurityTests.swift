import AsyncRedisTestSupport
import Foundation
import Testing

@testable import AsyncRedis

/// A cluster reached over TLS, and one that requires an ACL user, each a private cluster (`PrivateCluster`):
/// `createCluster`'s usual `ssl`, `username` and `password` options apply to every node.
@Suite("Cluster over TLS and with ACL users", .serialized)
struct ClusterSecurityTests {
    @Test("a TLS cluster (tls-cluster yes): the layout names TLS ports and every node is reached over TLS",
          .needsTLS, .timeLimit(.minutes(2)))
    func tlsCluster() async throws {
        let certificates = (try TestServers.tlsCA() as NSString).deletingLastPathComponent
        let cluster = try await PrivateCluster(tlsCertificates: certificates)
        defer { cluster.stop() }
        let tlsPorts = try #require(cluster.tlsPorts)
        let seeds = try tlsPorts.prefix(2).map { try RedisAddress("rediss://127.0.0.1:\($0)") }
        let client = try await createCluster(seeds, ssl: try RedisTLS.trusting(caFile: try TestServers.tlsCA()))
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            #expect(client.nodes.count == 6)
            #expect(client.nodes.allSatisfy { tlsPorts.contains($0.port) }, "\(client.nodes)")
            let keys = (0..<3).map { "\(keyTag(inSlotsOf: PrivateCluster.masterRanges[$0]).tag):k" }
            for key in keys { try await redis.set(key, key) }
            for key in keys { #expect(try await redis.get(key) == key) }
            let replies = try await redis.pipelineResults(keys.map { ("GET", [$0] as [any RedisArgument]) })
            #expect(replies.map { try? $0.get().string() } == keys)
            // Without trusting the test CA the handshake fails: the nodes really speak TLS.
            await #expect(throws: (any Error).self) {
                let untrusted = try await createCluster([seeds[0]], timeout: .seconds(5))
                untrusted.close()
            }
        }
    }

    @Test("an ACL cluster (masteruser/masterauth for replication): every node takes the user, replicas serve reads, no password in any description, log line or error",
          .timeLimit(.minutes(2)))
    func aclCluster() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let user = "app"
        let password = "cluster-secret-\(UInt32.random(in: 0...UInt32.max))"
        let adminPassword = "admin-secret-\(UInt32.random(in: 0...UInt32.max))"
        for index in cluster.servers.indices {
            let connection = try await cluster.connection(index)
            defer { connection.close() }
            _ = try await connection.execute("ACL", "SETUSER", user, "on", ">\(password)", "~*", "&*", "+@all")
            // One parameter per CONFIG SET: Redis 6.2 takes no more.
            _ = try await connection.execute("CONFIG", "SET", "masteruser", user)
            _ = try await connection.execute("CONFIG", "SET", "masterauth", password)
            // Last: from here on a client must authenticate.
            _ = try await connection.execute("ACL", "SETUSER", "default", "resetpass", ">\(adminPassword)")
        }
        // Replicas connect to their masters again, now as the ACL user.
        for index in 3..<6 {
            let replica = try await createConnection(cluster.servers[index].address, username: user, password: password)
            defer { replica.close() }
            _ = try await replica.execute("CLIENT", "KILL", "TYPE", "master")
            try await waitUntil("replica \(index) replicates again", seconds: 20) {
                try await replica.execute("INFO", "replication", as: String.self).contains("master_link_status:up")
            }
        }
        let logs = CapturedLogs()
        let client = try await createCluster(
            cluster.seeds, username: user, password: password, logger: logs.logger(level: .trace))
        let replicaReader = try await createCluster(
            cluster.seeds, username: user, password: password, readFrom: .replica)
        defer { replicaReader.close() }
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            #expect(try await redis.execute("ACL", "WHOAMI", as: String.self) == user)
            let keys = (0..<3).map { "\(keyTag(inSlotsOf: PrivateCluster.masterRanges[$0]).tag):k" }
            for key in keys { try await redis.set(key, key) }
            let fromReplicas = Redis(replicaReader)
            for key in keys {
                try await waitUntil("\(key) reached its replica", seconds: 10) {
                    try await fromReplicas.get(key) == key
                }
            }
            for text in renderings(client) + renderings(replicaReader) + logs.lines.map(\.description) {
                #expect(!text.contains(password), "\(text)")
            }
            #expect(!logs.lines.isEmpty)
        }
        // Wrong credentials, in the options or in a seed's URI: the error names the nodes, not the password.
        let wrong = "wrong-secret-\(UInt32.random(in: 0...UInt32.max))"
        for attempt in [
            { try await createCluster(cluster.seeds, username: user, password: wrong) },
            {
                try await createCluster([try RedisAddress("redis://\(user):\(wrong)@127.0.0.1:\(cluster.servers[0].port)")])
            },
        ] as [@Sendable () async throws -> RedisCluster] {
            do {
                let unexpected = try await attempt()
                unexpected.close()
                Issue.record("connected with a wrong password")
            } catch {
                let text = "\(error) \(String(reflecting: error))"
                #expect(text.contains("WRONGPASS") || text.contains("AUTH"), "\(text)")
                #expect(!text.contains(wrong) && !text.contains(password), "\(text)")
            }
        }
    }
}
