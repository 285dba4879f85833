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

@Suite("ExecutorJobQueue: the executor's run scheduling, without a server")
struct ExecutorJobQueueTests {
    @Test("only the first job of a run asks for the run; a run takes the jobs in order")
    func oneRunPerBatch() {
        var queue = ExecutorJobQueue<Int>()
        let asks = [queue.append(1), queue.append(2), queue.append(3)]
        #expect(asks == [.runNow, .none, .none])
        var run = queue.takeJobs()
        #expect(Array(run) == [1, 2, 3])
        // A job queued while the run executes asks for the next run.
        let asksDuringRun = [queue.append(4), queue.append(5)]
        #expect(asksDuringRun == [.runNow, .none])
        run.removeAll(keepingCapacity: true)
        queue.finishRun(recycling: run)
        let nextRun = queue.takeJobs()
        #expect(Array(nextRun) == [4, 5])
        queue.finishRun(recycling: [])
        let emptyRun = queue.takeJobs()
        #expect(emptyRun.isEmpty)
        queue.finishRun(recycling: [])
        let asksAfterEmptyRun = queue.append(6)
        #expect(asksAfterEmptyRun == .runNow)
    }

    @Test("runs chained from runs pause for I/O every chainedRunsBeforePause; a run from outside resets the count")
    func chainedRunsPauseForIO() {
        var queue = ExecutorJobQueue<Int>()
        let limit = ExecutorJobQueue<Int>.chainedRunsBeforePause
        var schedules: [ExecutorJobQueue<Int>.Schedule] = [queue.append(0)]
        // A task that yields in every run: each run queues the job of the next one.
        for job in 1...(2 * limit) {
            let taken = queue.takeJobs()
            schedules.append(queue.append(job))
            queue.finishRun(recycling: taken)
        }
        #expect(schedules[0] == .runNow)
        #expect(schedules[1..<limit].allSatisfy { $0 == .runNow })
        #expect(schedules[limit] == .runAfterPollingIO)
        #expect(schedules[(limit + 1)..<(2 * limit)].allSatisfy { $0 == .runNow })
        #expect(schedules[2 * limit] == .runAfterPollingIO)
        // A job queued outside a run (a read resuming its caller) starts the count again.
        _ = queue.takeJobs()
        queue.finishRun(recycling: [])
        #expect(queue.append(100) == .runNow)
        var afterReset: [ExecutorJobQueue<Int>.Schedule] = []
        for job in 1..<limit {
            let taken = queue.takeJobs()
            afterReset.append(queue.append(100 + job))
            queue.finishRun(recycling: taken)
        }
        #expect(afterReset.allSatisfy { $0 == .runNow })
    }
}
