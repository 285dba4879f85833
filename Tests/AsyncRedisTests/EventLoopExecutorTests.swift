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
            let stop = NIOLockedValueBox(false)
            let spinner = Task {
                var yields = 0
                while !stop.withLockedValue({ $0 }) {
                    await Task.yield()
                    yields += 1
                }
                return yields
            }
            for _ in 0..<200 { _ = try await connection.execute("INCR", key) }
            stop.withLockedValue { $0 = true }
            #expect(await spinner.value > 0)
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

@Suite("ExecutorJobQueue: the executor's run scheduling, without a server")
struct ExecutorJobQueueTests {
    @Test("only the first job of a run asks for the run; a run takes the jobs in order")
    func oneRunPerBatch() {
        var queue = ExecutorJobQueue<Int>()
        let asks = [queue.append(1), queue.append(2), queue.append(3)]
        #expect(asks == [true, false, false])
        var run = queue.takeJobs()
        #expect(Array(run) == [1, 2, 3])
        // A job queued while the run executes asks for the next run.
        let asksDuringRun = [queue.append(4), queue.append(5)]
        #expect(asksDuringRun == [true, false])
        run.removeAll(keepingCapacity: true)
        queue.recycle(run)
        let nextRun = queue.takeJobs()
        #expect(Array(nextRun) == [4, 5])
        let emptyRun = queue.takeJobs()
        #expect(emptyRun.isEmpty)
        let asksAfterEmptyRun = queue.append(6)
        #expect(asksAfterEmptyRun)
    }
}
