import AsyncRedis
import Testing

@Suite("RedisEventLoopExecutor: tasks on the connection's event loop")
struct EventLoopExecutorTests {
    @Test("tasks preferring the connection's executor resume on its event loop and get every reply")
    func tasksRunOnTheEventLoop() async throws {
        let connection = try await TestServers.connect()
        defer { connection.close() }
        let key = uniqueKey()
        let onLoop = try await withTaskExecutorPreference(connection.taskExecutor) { () async throws -> [Bool] in
            _ = try await connection.execute("SET", key, 0)
            var onLoop = [connection.eventLoop.inEventLoop]
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<1_000 {
                    group.addTask {
                        _ = try await connection.execute("INCR", key)
                        return connection.eventLoop.inEventLoop
                    }
                }
                for try await resumedOnLoop in group { onLoop.append(resumedOnLoop) }
            }
            return onLoop
        }
        #expect(onLoop.count == 1_001)
        #expect(onLoop.allSatisfy { $0 })
        #expect(try await connection.execute("GET", key, as: Int.self) == 1_000)
        // Outside the preference, the caller is back on the cooperative pool.
        #expect(!connection.eventLoop.inEventLoop)
        _ = try await connection.execute("DEL", key)
    }

    @Test("cancellation and a lost connection still fail the calls of tasks on the event loop")
    func failuresOnTheEventLoop() async throws {
        let connection = try await TestServers.connect()
        try await withTaskExecutorPreference(connection.taskExecutor) {
            let blocked = Task {
                try await connection.execute("BLPOP", uniqueKey(), 0)
            }
            try await Task.sleep(for: .milliseconds(50))
            blocked.cancel()
            await #expect(throws: CancellationError.self) { try await blocked.value }
            connection.close()
            await #expect(throws: ConnectionClosedError.self) { try await connection.execute("PING") }
        }
    }
}
