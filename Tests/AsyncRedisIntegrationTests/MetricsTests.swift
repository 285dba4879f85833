import AsyncRedisTestSupport
import AsyncRedis
import Metrics
import MetricsTestKit
import Testing

/// Every test injects its own `TestMetrics` through `RedisInstrumentation`: the global `MetricsSystem` is never
/// bootstrapped, so these tests run alongside the rest of the suite.
@Suite("swift-metrics: OpenTelemetry database client metrics")
struct MetricsTests {
    private static let system = ("db.system.name", "redis")

    @Test("a command records its duration by operation and outcome, a failure counts by reply code")
    func commandDurationAndErrors() async throws {
        let metrics = TestMetrics()
        let connection = try await createConnection(
            try TestServers.plain(), instrumentation: RedisInstrumentation(metricsFactory: metrics))
        defer { connection.close() }
        let key = uniqueKey()
        _ = try await connection.execute("set", key, "x")
        await #expect(throws: ReplyError.self) { try await connection.execute("LPUSH", key, "a") }
        _ = try await connection.executeBatch([("GET", [key]), ("INCR", [key])])
        _ = try await connection.execute("DEL", key)

        let set = try metrics.expectTimer(
            "db.client.operation.duration",
            [Self.system, ("db.operation.name", "SET"), ("outcome", "success")])
        #expect(set.values.count == 1)
        #expect(set.values[0] > 0 && set.values[0] < 10_000_000_000)
        let failed = try metrics.expectTimer(
            "db.client.operation.duration",
            [Self.system, ("db.operation.name", "LPUSH"), ("outcome", "failure")])
        #expect(failed.values.count == 1)
        let wrongType = try metrics.expectCounter(
            "db.client.operation.errors",
            [Self.system, ("db.operation.name", "LPUSH"), ("error.type", "WRONGTYPE")])
        #expect(wrongType.totalValue == 1)
        // A pipeline is one operation; its failed command (INCR on "x") makes it a failure.
        let pipeline = try metrics.expectTimer(
            "db.client.operation.duration",
            [Self.system, ("db.operation.name", "PIPELINE"), ("outcome", "failure")])
        #expect(pipeline.values.count == 1)
        #expect(try metrics.expectCounter(
            "db.client.operation.errors",
            [Self.system, ("db.operation.name", "PIPELINE"), ("error.type", "ERR")]).totalValue == 1)
    }

    @Test("a pool reports its connections, waiters and reconnections")
    func poolGauges() async throws {
        let metrics = TestMetrics()
        let address = try TestServers.plain()
        let pool = try await createPool(
            address, minSize: 2, maxSize: 3,
            instrumentation: RedisInstrumentation(metricsFactory: metrics, gaugeInterval: .milliseconds(20)))
        let name = ("db.client.connection.pool.name", "\(address)")
        let leased = try await pool.acquire()
        let idle = try metrics.expectGauge(
            "db.client.connection.count", [Self.system, name, ("db.client.connection.state", "idle")])
        let used = try metrics.expectGauge(
            "db.client.connection.count", [Self.system, name, ("db.client.connection.state", "used")])
        let size = try metrics.expectGauge("db.client.connection.pool.size", [Self.system, name])
        try await waitUntil { used.lastValue == 1 && idle.lastValue == 1 && size.lastValue == 2 }
        #expect(try metrics.expectGauge("db.client.connection.max", [Self.system, name]).lastValue == 3)
        #expect(try metrics.expectGauge("db.client.connection.pending_requests", [Self.system, name]).lastValue == 0)

        // A lost connection is replaced: one reconnection.
        let id = try await leased.execute("CLIENT", "ID", as: Int.self)
        pool.release(leased)
        let killer = try await createConnection(address)
        _ = try await killer.execute("CLIENT", "KILL", "ID", id)
        killer.close()
        let reconnections = try await waitForCounter(
            metrics, "redis.client.reconnections",
            [Self.system, ("redis.reconnection.kind", "pool")])
        try await waitUntil { reconnections.totalValue == 1 && pool.size == 2 }

        pool.close()
        try await waitUntil { size.lastValue == 0 && used.lastValue == 0 }
    }

    @Test("a subscriber reports its backlog: messages received and not yet read")
    func pubSubBacklog() async throws {
        let metrics = TestMetrics()
        let subscriber = try await createSubscriber(
            try TestServers.plain(),
            instrumentation: RedisInstrumentation(metricsFactory: metrics, gaugeInterval: .milliseconds(20)))
        let key = uniqueKey()
        let channel = try await subscriber.subscribe(key)[0]
        let publisher = try await TestServers.connect()
        defer { publisher.close() }
        for index in 0..<3 { _ = try await publisher.execute("PUBLISH", key, index) }
        let backlog = try #require(metrics.recorders(label: "redis.client.pubsub.backlog").first)
        try await waitUntil { backlog.lastValue == 3 }
        _ = try await channel.get()
        try await waitUntil { backlog.lastValue == 2 }
        subscriber.close()
        try await waitUntil { backlog.lastValue == 0 }
    }

    private func waitForCounter(_ metrics: TestMetrics, _ label: String, _ dimensions: [(String, String)])
        async throws -> TestCounter
    {
        try await waitUntil { (try? metrics.expectCounter(label, dimensions)) != nil }
        return try metrics.expectCounter(label, dimensions)
    }
}
