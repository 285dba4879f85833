import DequeModule
import NIOConcurrencyHelpers
import NIOCore

/// A `TaskExecutor` that runs tasks on a connection's event loop, the thread that reads its replies.
///
/// By default a reply read on the event loop resumes its caller on Swift's cooperative pool: one thread hop per
/// reply (a wake-up of a pool thread, and a queue allocation in the runtime), which is most of a round trip's
/// cost on a fast server. Tasks that prefer this executor run where the reply was read, without a hop:
///
/// ```swift
/// try await withTaskExecutorPreference(connection.taskExecutor) {
///     for key in keys { _ = try await connection.execute("GET", key) }
/// }
/// ```
///
/// The trade-off: while such a task runs, the event loop does no I/O, so a task that computes for long or blocks
/// (file I/O, locks, `sleep`) stalls every connection on that loop. Use it around Redis-bound work only.
public final class RedisEventLoopExecutor: TaskExecutor {
    /// The event loop jobs are run on.
    public let eventLoop: any EventLoop
    private let queue = NIOLockedValueBox(ExecutorJobQueue<UnownedJob>())

    /// An executor running its jobs on `eventLoop`.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    // One read of 100 replies resumes 100 tasks. Handing each job to the event loop on its own would cost a
    // closure allocation and a turn of the loop's task queue per job; instead jobs gather here and one loop task
    // runs all that arrived before it started.
    /// Runs `job` on the event loop: at once when already on it and allowed, else in a later turn.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        switch queue.withLockedValue({ $0.append(job) }) {
        case .none:
            break
        case .runNow:
            eventLoop.execute { self.runQueuedJobs() }
        case .runAfterPollingIO:
            // The event loop runs the tasks that tasks schedule in the same turn, before it polls for I/O: a task
            // that keeps yielding would starve every connection on the loop. Scheduling this run slightly later
            // ends the turn, so the loop reads and writes first.
            eventLoop.scheduleTask(in: Self.pauseForIO) { self.runQueuedJobs() }
        }
    }

    /// How long a run chained from too many runs in a row waits, so that the loop polls for I/O before it.
    static let pauseForIO = TimeAmount.microseconds(100)

    /// Runs the jobs queued so far; jobs they enqueue go to a later run.
    private func runQueuedJobs() {
        var jobs = queue.withLockedValue { $0.takeJobs() }
        for job in jobs {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
        jobs.removeAll(keepingCapacity: true)
        queue.withLockedValue { $0.finishRun(recycling: jobs) }
    }
}

/// The jobs waiting for a run of `RedisEventLoopExecutor`, and when that run is scheduled. Generic so that its
/// rules can be tested without the runtime's jobs.
struct ExecutorJobQueue<Job> {
    /// What the caller of `append` must do.
    enum Schedule: Equatable {
        /// A run is already scheduled.
        case none
        /// Schedule a run now.
        case runNow
        /// Schedule a run once the event loop has polled for I/O: runs have been chaining runs without a pause.
        case runAfterPollingIO
    }

    /// Runs in a row that jobs of the previous run scheduled, before one waits for I/O to be polled.
    static var chainedRunsBeforePause: Int { 16 }

    private var jobs: Deque<Job> = []
    /// The storage of the previous run, emptied: runs alternate between two deques instead of allocating.
    private var spare: Deque<Job>?
    private var runScheduled = false
    private var isRunning = false
    /// Runs scheduled in a row from inside a run (a task resuming tasks, a task yielding); reset by a run that
    /// something else scheduled, such as a read resuming its callers.
    private var chainedRuns = 0

    /// Queues `job`; returns whether and how the caller must schedule a run.
    mutating func append(_ job: Job) -> Schedule {
        jobs.append(job)
        if runScheduled { return .none }
        runScheduled = true
        guard isRunning else {
            chainedRuns = 0
            return .runNow
        }
        chainedRuns += 1
        guard chainedRuns >= Self.chainedRunsBeforePause else { return .runNow }
        chainedRuns = 0
        return .runAfterPollingIO
    }

    /// Takes every queued job, in order, for a run; a job queued after this schedules the next run.
    mutating func takeJobs() -> Deque<Job> {
        runScheduled = false
        isRunning = true
        let taken = jobs
        jobs = spare ?? []
        spare = nil
        return taken
    }

    /// Ends a run and takes back its emptied deque, to be filled by the run after next.
    mutating func finishRun(recycling emptied: Deque<Job>) {
        isRunning = false
        if spare == nil { spare = emptied }
    }
}

extension ExecutorJobQueue: Sendable where Job: Sendable {}

extension RedisConnection {
    /// The event loop this connection's I/O runs on.
    public var eventLoop: any EventLoop { channel.eventLoop }
}
