import AsyncRedisTestSupport
import Logging
import ServiceLifecycle
import Testing

@testable import AsyncRedis

/// `RedisCluster` as a ServiceLifecycle `Service`, on the shared cluster (its layout is not changed).
@Suite("Cluster as a Service")
struct ClusterServiceTests {
    private static let quiet = Logger(label: "service-group") { _ in SwiftLogNoOpLogHandler() }

    @Test("graceful shutdown lets a call in flight on a node finish, fails new calls, closes every node's sockets")
    func gracefulShutdownDrains() async throws {
        try await withTimeLimit(.seconds(30)) {
            let cluster = try await ClusterTestServers.connect()
            let pusher = try await ClusterTestServers.connect()
            defer { pusher.close() }
            let group = ServiceGroup(services: [cluster], logger: Self.quiet)
            let running = Task { try await group.run() }
            let redis = Redis(cluster)
            #expect(try await redis.ping() == "PONG")
            let key = uniqueKey()
            // Unanswered until a value is pushed, after the shutdown started.
            let inFlight = Task { try await cluster.execute("BLPOP", key, "0", as: [String].self) }
            let node = try cluster.node(for: cluster.keySlot(key), readOnly: false, replicas: false)
            let pool = try cluster.pool(for: node)
            // BLPOP leases a connection of its own.
            try await waitUntil(.seconds(10)) { pool.size > pool.freeSize }
            let connections = pool.state.withLockedValue { $0.members.map(\.connection) }

            await group.triggerGracefulShutdown()
            try await waitUntil { cluster.isClosed }
            await #expect(throws: PoolClosedError.self) { try await redis.get(uniqueKey()) }
            #expect(connections.contains { !$0.isClosed }, "closed before the call in flight was answered")

            _ = try await pusher.execute("LPUSH", key, "last")
            #expect(try await inFlight.value == [key, "last"])
            try await running.value
            #expect(pool.isClosed && connections.allSatisfy(\.isClosed))
        }
    }

    @Test("cancelling the service closes the cluster client at once")
    func cancellationCloses() async throws {
        try await withTimeLimit(.seconds(10)) {
            let cluster = try await ClusterTestServers.connect()
            let running = Task { try await cluster.run() }
            #expect(try await Redis(cluster).ping() == "PONG")
            running.cancel()
            try await running.value
            #expect(cluster.isClosed)
            await #expect(throws: PoolClosedError.self) { try await Redis(cluster).ping() }
        }
    }
}
