import AsyncRedisTestSupport
import Foundation
import Testing

@testable import AsyncRedis

/// A throwaway six-node cluster (3 masters, each with one replica) of private redis-servers, for the tests that
/// change a cluster's layout (migrations, failovers, a killed master): the shared cluster stays untouched.
/// It forms in a few seconds; every wait is bounded.
final class PrivateCluster: @unchecked Sendable {
    let servers: [PrivateRedisServer]
    /// Node IDs, in the order of `servers`.
    private(set) var ids: [String] = []
    /// With TLS, each node's TLS port (its plain port + 1): the port the cluster announces and its bus uses.
    let tlsPorts: [Int]?
    static let masterRanges = [0...5460, 5461...10922, 10923...16383]

    /// `extraArguments` go to every node (announced endpoints, say); `tlsCertificates`, the directory of the test
    /// CA's `server.crt`/`server.key`/`ca.crt`, makes the nodes speak TLS to clients, to each other (the cluster
    /// bus) and for replication, beside a plain port kept for the test's own admin connections.
    init(extraArguments: [String] = [], tlsCertificates: String? = nil) async throws {
        var servers: [PrivateRedisServer] = []
        for _ in 0..<6 {
            servers.append(
                try await PrivateRedisServer(
                    extraArguments: [
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
                        "2000",
                    ] + extraArguments,
                    portArguments: { port in
                        guard let certificates = tlsCertificates else { return [] }
                        return [
                            "--tls-port", String(port + 1), "--tls-cluster", "yes", "--tls-replication", "yes",
                            "--tls-cert-file", certificates + "/server.crt", "--tls-key-file",
                            certificates + "/server.key", "--tls-ca-cert-file", certificates + "/ca.crt",
                            "--tls-auth-clients", "no",
                            // Nodes connecting to each other (bus, replication) present a client certificate: the
                            // server one is for serverAuth only, and its peer would refuse it.
                            "--tls-client-cert-file", certificates + "/client.crt", "--tls-client-key-file",
                            certificates + "/client.key",
                        ]
                    },
                    // The bus listens at the client port + 10 000; with TLS, the TLS port (+1) and its bus too.
                    neighbourOffsets: tlsCertificates == nil ? [10_000] : [1, 10_000, 10_001]))
        }
        self.servers = servers
        tlsPorts = tlsCertificates == nil ? nil : servers.map { $0.port + 1 }
        try await form()
    }

    var seeds: [RedisAddress] { servers.map(\.address) }

    func connection(_ index: Int) async throws -> RedisConnection {
        try await createConnection(servers[index].address)
    }

    /// ADDSLOTS on the first three, MEET, REPLICATE on the last three, then wait until every node agrees.
    private func form() async throws {
        var connections: [RedisConnection] = []
        for index in servers.indices { connections.append(try await connection(index)) }
        defer { for connection in connections { connection.close() } }
        for (index, range) in Self.masterRanges.enumerated() {
            _ = try await connections[index].execute("CLUSTER", arguments: ["ADDSLOTS"] + range.map { $0 })
        }
        for connection in connections.dropFirst() {
            // A TLS cluster's bus listens beside its TLS port.
            _ = try await connection.execute("CLUSTER", "MEET", "127.0.0.1", tlsPorts?[0] ?? servers[0].port)
        }
        for connection in connections { ids.append(try await connection.execute("CLUSTER", "MYID", as: String.self)) }
        try await waitUntil("every node knows the six nodes", seconds: 20) {
            for connection in connections {
                let nodes = try await connection.execute("CLUSTER", "NODES", as: String.self)
                guard nodes.split(separator: "\n").count == 6, !nodes.contains("handshake") else { return false }
            }
            return true
        }
        for index in 3..<6 {
            try await waitUntil("node \(index) replicates its master", seconds: 10) {
                (try? await connections[index].execute("CLUSTER", "REPLICATE", self.ids[index - 3])) != nil
            }
        }
        try await waitUntilHealthy()
    }

    /// Every live node sees the cluster ok, each slot range with a master and a replica.
    func waitUntilHealthy(seconds: Int = 30) async throws {
        try await waitUntil("the cluster is ok on every node", seconds: seconds) {
            for server in self.servers where server.isRunning {
                let connection = try await createConnection(server.address)
                defer { connection.close() }
                let info = try await connection.execute("CLUSTER", "INFO", as: String.self)
                guard info.contains("cluster_state:ok") else { return false }
                let slots = try await connection.execute("CLUSTER", "SLOTS")
                guard let ranges = slots.clusterArray, ranges.allSatisfy({ ($0.clusterArray?.count ?? 0) >= 4 }) else {
                    return false
                }
            }
            return true
        }
    }

    /// The index of the server whose node ID is `id`.
    func index(ofNode id: String) -> Int? { ids.firstIndex(of: id) }

    /// The index of the master serving `slot`, asked of a live node.
    func master(of slot: Int) async throws -> Int {
        let asked = try #require(servers.indices.first { servers[$0].isRunning })
        let connection = try await self.connection(asked)
        defer { connection.close() }
        let nodes = try await connection.execute("CLUSTER", "NODES", as: String.self)
        for line in nodes.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 8, fields[2].contains("master"), !fields[2].contains("fail") else { continue }
            for range in fields[8...] where !range.hasPrefix("[") {
                let bounds = range.split(separator: "-").compactMap { Int($0) }
                if let low = bounds.first, slot >= low, slot <= (bounds.last ?? low) {
                    return try #require(index(ofNode: String(fields[0])))
                }
            }
        }
        throw TestSetupError("no master serves slot \(slot)")
    }

    /// The index of the replica of the master at `masterIndex`.
    func replica(of masterIndex: Int) async throws -> Int {
        let connection = try await self.connection(masterIndex)
        defer { connection.close() }
        let nodes = try await connection.execute("CLUSTER", "NODES", as: String.self)
        for line in nodes.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 3, fields[3] == ids[masterIndex], let index = index(ofNode: String(fields[0])) {
                return index
            }
        }
        throw TestSetupError("the master \(masterIndex) has no replica")
    }

    /// Moves `slot` from one master to another as redis-cli --cluster reshard does: IMPORTING on the target,
    /// MIGRATING on the source, MIGRATE of its keys `batch` at a time (pausing `pause` between batches, so that
    /// clients meet the migration), then SETSLOT NODE on both and on the other masters.
    func migrate(slot: Int, from source: Int, to target: Int, batch: Int = 10, pause: Duration = .zero) async throws {
        let from = try await connection(source)
        let to = try await connection(target)
        defer {
            from.close()
            to.close()
        }
        _ = try await to.execute("CLUSTER", "SETSLOT", slot, "IMPORTING", ids[source])
        _ = try await from.execute("CLUSTER", "SETSLOT", slot, "MIGRATING", ids[target])
        while true {
            let keys = try await from.execute("CLUSTER", "GETKEYSINSLOT", slot, batch, as: [String].self)
            if keys.isEmpty { break }
            _ = try await from.execute(
                "MIGRATE", arguments: ["127.0.0.1", servers[target].port, "", 0, 5000, "KEYS"] + keys)
            if pause > .zero { try await Task.sleep(for: pause) }
        }
        _ = try await to.execute("CLUSTER", "SETSLOT", slot, "NODE", ids[target])
        _ = try await from.execute("CLUSTER", "SETSLOT", slot, "NODE", ids[target])
        for other in 0..<servers.count where other != source && other != target && servers[other].isRunning {
            let connection = try await self.connection(other)
            _ = try? await connection.execute("CLUSTER", "SETSLOT", slot, "NODE", ids[target])
            connection.close()
        }
    }

    func stop() {
        for server in servers { server.stop() }
    }
}

/// Polls `condition` every 100 ms until it holds; `TestSetupError` naming `what` after `seconds`.
func waitUntil(_ what: String, seconds: Int, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw TestSetupError("waited \(seconds) s for: \(what)")
}

/// A slot of the range `range` and a key hashing to it.
func keyTag(inSlotsOf range: ClosedRange<Int>, label: String = "tag") -> (tag: String, slot: Int) {
    var index = 0
    while true {
        let tag = "\(label)\(index)-\(UInt32.random(in: 0...UInt32.max))"
        let slot = ClusterKeySlot.slot(ofBytes: Array(tag.utf8))
        if range.contains(slot) { return ("{\(tag)}", slot) }
        index += 1
    }
}
