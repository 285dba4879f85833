import NIOConcurrencyHelpers
import Testing

@testable import AsyncRedis

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

    @Test("a task that keeps yielding on the event loop does not hold up other tasks' replies")
    func yieldingTaskDoesNotStarveReplies() async throws {
        let connection = try await TestServers.connect()
        defer { connection.close() }
        let key = uniqueKey()
        try await withTaskExecutorPreference(connection.taskExecutor) {
            let started = NIOLockedValueBox(false)
            let stop = NIOLockedValueBox(false)
            // An unstructured task does not inherit the preference: it is given the executor explicitly.
            // If the loop starved, the INCRs below would never finish; the spinner gives up after 10 s so that
            // such a regression fails the test instead of hanging it.
            let deadline = ContinuousClock.now + .seconds(10)
            let spinner = Task(executorPreference: connection.taskExecutor) {
                () -> (yields: Int, onLoop: Bool, gaveUp: Bool) in
                var yields = 0
                var onLoop = connection.eventLoop.inEventLoop
                started.withLockedValue { $0 = true }
                while !stop.withLockedValue({ $0 }) {
                    if ContinuousClock.now > deadline { return (yields, onLoop, true) }
                    await Task.yield()
                    yields += 1
                    onLoop = onLoop && connection.eventLoop.inEventLoop
                }
                return (yields, onLoop, false)
            }
            // Both tasks share the loop's thread: the spinner runs whenever this task waits, and from here on it
            // yields at least once before `stop` can be set.
            while !started.withLockedValue({ $0 }) { await Task.yield() }
            for _ in 0..<200 { _ = try await connection.execute("INCR", key) }
            stop.withLockedValue { $0 = true }
            let spun = await spinner.value
            #expect(!spun.gaveUp)
            #expect(spun.onLoop)
            #expect(spun.yields > 0)
        }
        #expect(try await connection.execute("GET", key, as: Int.self) == 200)
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
