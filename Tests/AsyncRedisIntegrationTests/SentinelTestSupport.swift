import AsyncRedis
import AsyncRedisTestSupport
import Foundation
import Testing

/// The Sentinel group `scripts/servers.sh` starts: three sentinels watching a master and one replica under
/// `REDIS_SENTINEL_MASTER`. Failover tests swap the two data nodes; `restore()` puts the original master back.
enum SentinelGroup {
    static func name() throws -> String { try TestServers.value("REDIS_SENTINEL_MASTER") }
    static func sentinelPorts() throws -> [Int] {
        try TestServers.value("REDIS_SENTINEL_PORTS").split(separator: ",").map { Int($0)! }
    }
    static func sentinels() throws -> [RedisAddress] {
        try sentinelPorts().map { .tcp(host: "127.0.0.1", port: $0) }
    }
    /// The node that was master when the servers started, and its replica.
    static func originalMasterPort() throws -> Int { try Int(TestServers.value("REDIS_SENTINEL_MASTER_PORT"))! }
    static func originalReplicaPort() throws -> Int { try Int(TestServers.value("REDIS_SENTINEL_REPLICA_PORT"))! }

    /// A plain connection to one sentinel, for setting up and checking what the client under test does.
    static func withSentinel<T>(_ index: Int = 0, _ body: (RedisConnection) async throws -> T) async throws -> T {
        let connection = try await createConnection(.tcp(host: "127.0.0.1", port: try sentinelPorts()[index]))
        defer { connection.close() }
        return try await body(connection)
    }

    /// The master's port as a sentinel reports it.
    static func masterPort(askingSentinel index: Int = 0) async throws -> Int {
        try await withSentinel(index) { sentinel in
            let pair = try await sentinel.execute("SENTINEL", "GET-MASTER-ADDR-BY-NAME", try name(), as: [String].self)
            return Int(pair[1])!
        }
    }

    /// The ROLE a data node reports (`master` or `slave`), or nil if it cannot be reached.
    static func role(ofNodeAt port: Int) async -> String? {
        guard let connection = try? await createConnection(.tcp(host: "127.0.0.1", port: port), timeout: .seconds(1))
        else { return nil }
        defer { connection.close() }
        guard let reply = try? await connection.execute("ROLE", as: [RESPValue].self), let first = reply.first
        else { return nil }
        return try? String(fromRESP: first, encoding: .utf8)
    }

    /// Waits until the group is whole: every sentinel names the same master, that node is a master, the other is
    /// its replica with an up link, and every sentinel sees that replica and both other sentinels, none down.
    static func waitUntilHealthy(within limit: Duration = .seconds(45)) async throws {
        let deadline = ContinuousClock.now + limit
        var last = "nothing checked yet"
        while ContinuousClock.now < deadline {
            do {
                if let problem = try await healthProblem() { last = problem } else { return }
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw TestSetupError("the Sentinel group did not become healthy within \(limit): \(last)")
    }

    private static func healthProblem() async throws -> String? {
        let ports = try sentinelPorts()
        var masters = Set<Int>()
        for index in ports.indices { masters.insert(try await masterPort(askingSentinel: index)) }
        guard masters.count == 1, let master = masters.first else { return "sentinels disagree: \(masters)" }
        let replica = master == (try originalMasterPort()) ? try originalReplicaPort() : try originalMasterPort()
        guard await role(ofNodeAt: master) == "master" else { return "\(master) is not a master" }
        let replication = try await withNode(replica) { try await $0.execute("INFO", "replication", as: String.self) }
        let replicaLinked = replication.contains("master_link_status:up") && replication.contains("master_port:\(master)")
        guard replicaLinked else { return "replica \(replica) is not linked to \(master)" }
        for index in ports.indices {
            let state = try await withSentinel(index) { sentinel in
                try await sentinel.execute("SENTINEL", "MASTER", try name(), as: [String: String].self)
            }
            let replicas = try await withSentinel(index) { sentinel in
                try await sentinel.execute("SENTINEL", "REPLICAS", try name(), as: [[String: String]].self)
            }
            let flags = state["flags"] ?? ""
            guard flags == "master", state["num-other-sentinels"] == "2",
                state["failover-state"].map({ $0 == "none" }) ?? true
            else { return "sentinel \(ports[index]) sees the master as \(state)" }
            guard replicas.contains(where: { $0["port"] == "\(replica)" && $0["flags"] == "slave" }) else {
                return "sentinel \(ports[index]) does not yet see replica \(replica) healthy"
            }
        }
        return nil
    }

    static func withNode<T>(_ port: Int, _ body: (RedisConnection) async throws -> T) async throws -> T {
        let connection = try await createConnection(.tcp(host: "127.0.0.1", port: port), timeout: .seconds(2))
        defer { connection.close() }
        return try await body(connection)
    }

    /// Forces a failover and waits until the group is whole again with the other node as master.
    ///
    /// A sentinel refuses while it still considers the last failover recent (NOGOODSLAVE, INPROG), and a failover
    /// it accepted can stall (a replica that restarted a moment ago is still syncing) until the group's
    /// failover-timeout (10 s) aborts it: FAILOVER is asked again until the master changes, for up to 60 s.
    static func failOver() async throws {
        let before = try await masterPort()
        try await waitUntilHealthy()
        let deadline = ContinuousClock.now + .seconds(60)
        var nextRequest = ContinuousClock.now
        while try await masterPort() == before {
            guard ContinuousClock.now < deadline else { throw TestSetupError("SENTINEL FAILOVER did not switch") }
            if ContinuousClock.now >= nextRequest {
                do {
                    _ = try await withSentinel { try await $0.execute("SENTINEL", "FAILOVER", try name()) }
                    nextRequest = ContinuousClock.now + .seconds(12)
                } catch is ReplyError {
                    nextRequest = ContinuousClock.now + .milliseconds(500)
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await waitUntilHealthy()
    }

    /// Puts the group back as the servers started it: both nodes up, the original master the master.
    static func restore() async throws {
        for port in [try originalMasterPort(), try originalReplicaPort()] where await role(ofNodeAt: port) == nil {
            try restart(nodeAt: port)
        }
        try await waitUntilHealthy()
        if try await masterPort() != originalMasterPort() { try await failOver() }
    }

    /// Runs `body`, then puts the group back (`restore()`) whatever happened.
    static func restoringAfterwards(_ body: () async throws -> Void) async throws {
        try await withCleanup({ try await restore() }, body)
    }

    /// The folder `scripts/servers.sh` made for the data node on `port`.
    static func directory(ofNodeAt port: Int) throws -> String {
        let tmp = try TestServers.tempDirectory()
        let folder = port == (try originalMasterPort()) ? "sentinel-master" : "sentinel-replica"
        return "\(tmp)/\(folder)"
    }

    /// Kills the data node on `port` with SIGKILL.
    static func kill(nodeAt port: Int) throws {
        let pidText = try String(contentsOfFile: "\(try directory(ofNodeAt: port))/redis.pid", encoding: .utf8)
        guard let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSetupError("no pid for the node on \(port)")
        }
        guard Foundation.kill(pid, SIGKILL) == 0 else { throw TestSetupError("kill \(pid) failed") }
    }

    /// Starts the data node on `port` again from its configuration file (daemonized, like servers.sh does).
    /// posix_spawn and waitpid rather than `Process`, whose wait for a program that forks a daemon can hang.
    static func restart(nodeAt port: Int) throws {
        let pid = try spawnDetachedFromOutput([try TestServers.serverBinary(), "\(try directory(ofNodeAt: port))/redis.conf"])
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid, status == 0 else {
            throw TestSetupError("restarting the node on \(port) failed (status \(status))")
        }
    }
}

/// Runs `body`, then `cleanup` whatever happened; an error of `body` wins over one of `cleanup`.
func withCleanup(_ cleanup: () async throws -> Void, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        try? await cleanup()
        throw error
    }
    try await cleanup()
}

/// Counts what each kind of call met, for the failover tests.
actor OutcomeCounter {
    private(set) var successes = 0
    private(set) var errors: [String: Int] = [:]

    func record(_ error: (any Error)?) {
        if let error {
            errors[String(describing: type(of: error)), default: 0] += 1
        } else {
            successes += 1
        }
    }
}
