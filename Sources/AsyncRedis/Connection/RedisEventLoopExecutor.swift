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

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    // One read of 100 replies resumes 100 tasks. Handing each job to the event loop on its own would cost a
    // closure allocation and a turn of the loop's task queue per job; instead jobs gather here and one loop task
    // runs all that arrived before it started.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let startsRun = queue.withLockedValue { $0.append(job) }
        if startsRun {
            eventLoop.execute { self.runQueuedJobs() }
        }
    }

    /// Runs the jobs queued so far. Jobs they enqueue wait for the next run, so I/O (and the flush of what these
    /// jobs wrote) gets its turn between runs.
    private func runQueuedJobs() {
        var jobs = queue.withLockedValue { $0.takeJobs() }
        for job in jobs {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
        jobs.removeAll(keepingCapacity: true)
        queue.withLockedValue { $0.recycle(jobs) }
    }
}

/// The jobs waiting for a run of `RedisEventLoopExecutor`, and whether that run is already scheduled. Generic so
/// that its rules can be tested without the runtime's jobs.
struct ExecutorJobQueue<Job> {
    private var jobs: Deque<Job> = []
    /// The storage of the previous run, emptied: runs alternate between two deques instead of allocating.
    private var spare: Deque<Job>?
    private var runScheduled = false

    /// Queues `job`; returns true when the caller must schedule a run.
    mutating func append(_ job: Job) -> Bool {
        jobs.append(job)
        if runScheduled { return false }
        runScheduled = true
        return true
    }

    /// Takes every queued job, in order, for a run; a job queued after this schedules the next run.
    mutating func takeJobs() -> Deque<Job> {
        runScheduled = false
        let taken = jobs
        jobs = spare ?? []
        spare = nil
        return taken
    }

    /// Takes back the emptied deque of a finished run, to be filled by the run after next.
    mutating func recycle(_ emptied: Deque<Job>) {
        if spare == nil { spare = emptied }
    }
}

extension ExecutorJobQueue: Sendable where Job: Sendable {}

extension RedisConnection {
    /// The event loop this connection's I/O runs on.
    public var eventLoop: any EventLoop { channel.eventLoop }
}
