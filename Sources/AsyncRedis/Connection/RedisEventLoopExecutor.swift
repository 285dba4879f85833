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

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

extension RedisConnection {
    /// The event loop this connection's I/O runs on.
    public var eventLoop: any EventLoop { channel.eventLoop }

    /// An executor running tasks on this connection's event loop: see `RedisEventLoopExecutor`.
    public var taskExecutor: RedisEventLoopExecutor { RedisEventLoopExecutor(channel.eventLoop) }
}
