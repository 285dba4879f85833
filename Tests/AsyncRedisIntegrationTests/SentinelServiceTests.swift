import AsyncRedisTestSupport
import AsyncRedis
import Logging
import ServiceLifecycle
import Testing

// In the serialized Sentinel suite: a failover test running meanwhile would cut the calls this one drains.
extension SentinelTests {
    @Test func gracefulShutdownDrainsTheManagedPools() async throws {
        try await SentinelGroup.restore()
        let sentinel = try await createSentinel(try SentinelGroup.sentinels(), timeout: .seconds(2))
        let group = ServiceGroup(
            services: [sentinel], logger: Logger(label: "service-group") { _ in SwiftLogNoOpLogHandler() })
        let running = Task { try await group.run() }
        let master = sentinel.masterFor(try SentinelGroup.name())
        #expect(try await master.ping() == "PONG")
        // A blocking call without a timeout is in flight when shutdown starts; it is answered only once a value
        // is pushed, after the managed pool stopped taking calls.
        let key = uniqueKey()
        let inFlight = Task { try await master.execute("BLPOP", key, "0", as: [String].self) }
        let node = try await createConnection(.tcp(host: "127.0.0.1", port: try await SentinelGroup.masterPort()))
        defer { node.close() }
        try await waitUntil { try await node.execute("CLIENT", "LIST", as: String.self).contains("cmd=blpop") }
        await group.triggerGracefulShutdown()
        try await waitUntil { master.isClosed }
        await #expect(throws: PoolClosedError.self) { try await master.ping() }
        _ = try await node.execute("LPUSH", key, "last")
        #expect(try await inFlight.value == [key, "last"])
        try await withTimeLimit(.seconds(10)) { try await running.value }
        #expect(sentinel.isClosed)
    }
}
