import Testing

@testable import AsyncRedis

@Suite("Pool lifetime")
struct PoolLifetimeTests {
    /// A pool with no connection left, dropped without `close()`, used to leave its closed-promise uncompleted, and
    /// NIO traps on a leaked promise in debug builds: the process died. Now it is completed when the pool goes.
    @Test("a pool dropped without close() does not crash the process")
    func droppedPoolWithoutClose() async throws {
        weak var dropped: ConnectionsPool?
        do {
            let pool = try await createPool(try TestServers.plain(), minSize: 0, maxSize: 2)
            #expect(pool.size == 0)
            dropped = pool
        }
        #expect(dropped == nil, "nothing else holds a pool with no connections")
    }
}
