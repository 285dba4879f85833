import AsyncRedisTestSupport
import AsyncRedis
import Logging
import ServiceLifecycle
import Testing

@Suite("ServiceLifecycle: clients run in a ServiceGroup and drain on graceful shutdown")
struct ServiceLifecycleTests {
    private static let quiet = Logger(label: "service-group") { _ in SwiftLogNoOpLogHandler() }

    @Test("graceful shutdown lets in-flight calls finish, fails new ones with PoolClosedError, closes the sockets")
    func poolDrains() async throws {
        try await withTimeLimit(.seconds(20)) {
            let pool = try await createPool(try TestServers.plain(), minSize: 2, maxSize: 2)
            let subscriber = try await createSubscriber(try TestServers.plain())
            let channel = try await subscriber.subscribe(uniqueKey())[0]
            let group = ServiceGroup(services: [pool, subscriber], logger: Self.quiet)
            let running = Task { try await group.run() }

            let connections = [try await pool.acquire(), try await pool.acquire()]
            for connection in connections { pool.release(connection) }
            let key = uniqueKey()
            // A blocking call without a timeout is in flight when shutdown starts; it is answered only once a
            // value is pushed, after the pool stopped taking calls.
            let inFlight = Task { try await pool.execute("BLPOP", key, "0", as: [String].self) }
            try await waitUntil { connections.contains { $0.pendingCount > 0 } }
            let busy = try #require(connections.first { $0.pendingCount > 0 })

            await group.triggerGracefulShutdown()
            try await waitUntil { pool.isClosed }
            await #expect(throws: PoolClosedError.self) { try await pool.execute("PING") }
            #expect(!busy.isClosed, "closed before its call was answered")

            let pusher = try await TestServers.connect()
            _ = try await pusher.execute("LPUSH", key, "last")
            pusher.close()
            #expect(try await inFlight.value == [key, "last"])
            try await running.value
            #expect(connections.allSatisfy { $0.isClosed })
            #expect(subscriber.isClosed && subscriber.connection.isClosed)
            #expect(try await channel.get() == nil)
        }
    }

    @Test("a Redis over one connection closes on graceful shutdown")
    func singleConnection() async throws {
        try await withTimeLimit(.seconds(10)) {
            let redis = try await createRedis(try TestServers.plain())
            let group = ServiceGroup(services: [redis], logger: Self.quiet)
            let running = Task { try await group.run() }
            #expect(try await redis.ping() == "PONG")
            await group.triggerGracefulShutdown()
            try await running.value
            #expect(redis.isClosed)
        }
    }

    @Test("cancelling the service closes the pool at once")
    func cancellationCloses() async throws {
        try await withTimeLimit(.seconds(10)) {
            let pool = try await createPool(try TestServers.plain(), minSize: 1, maxSize: 1)
            let running = Task { try await pool.run() }
            #expect(try await pool.execute("PING").string() == "PONG")
            running.cancel()
            try await running.value
            #expect(pool.isClosed && pool.size == 0)
        }
    }
}
