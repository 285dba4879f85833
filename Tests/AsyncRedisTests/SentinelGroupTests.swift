import AsyncRedis
import Testing

/// The Sentinel group scripts/servers.sh starts, on whichever server the suite runs against: each sentinel
/// answers over an ordinary connection and names the master and its replica (read-only: no failover here).
@Suite("Sentinel group of the test servers")
struct SentinelGroupTests {
    @Test("every sentinel names the master's address and lists its replica")
    func sentinelsKnowTheGroup() async throws {
        let ports = try TestServers.value("REDIS_SENTINEL_PORTS").split(separator: ",").compactMap { Int($0) }
        let masterName = try TestServers.value("REDIS_SENTINEL_MASTER")
        let masterPort = try TestServers.value("REDIS_SENTINEL_MASTER_PORT")
        let replicaPort = try TestServers.value("REDIS_SENTINEL_REPLICA_PORT")
        #expect(ports.count == 3)
        for port in ports {
            let sentinel = try await createConnection(.tcp(host: "127.0.0.1", port: port))
            defer { sentinel.close() }
            let address = try await sentinel.execute(
                "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName, as: [String].self)
            #expect(address == ["127.0.0.1", masterPort])
            // SENTINEL REPLICAS answers one flat field/value list per replica.
            let replicas = try await sentinel.execute("SENTINEL", "REPLICAS", masterName, as: [[String]].self)
            #expect(replicas.count == 1)
            #expect(replicas.first.map { Self.field("port", in: $0) } == replicaPort)
        }
    }

    private static func field(_ name: String, in pairs: [String]) -> String? {
        stride(from: 0, to: pairs.count - 1, by: 2).first { pairs[$0] == name }.map { pairs[$0 + 1] }
    }
}
