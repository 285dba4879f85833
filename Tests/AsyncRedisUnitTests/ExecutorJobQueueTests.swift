import Testing

@testable import AsyncRedis

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
