import NIOCore

/// The bytes callers encoded and not yet written, and when to write them: the outbound half of a connection's
/// state. Callers encode straight into `buffer` under the connection's lock, on their own threads; the event loop
/// takes the bytes once per batch.
struct OutboundQueue {
    /// What to do after queuing a command.
    enum FlushDecision {
        /// The first command since the last write: schedule one flush on the event loop.
        case scheduleFlush
        /// A flush is already scheduled and will take it.
        case queued
        /// A flush is scheduled, but enough is waiting that the server should start on it: a caller on the event
        /// loop writes now (see `earlyWriteMinimum`).
        case writeNowIfOnEventLoop
    }

    /// The fewest unflushed commands written before the scheduled flush, by callers on the event loop.
    ///
    /// Tasks running on the event loop (`RedisEventLoopExecutor`) that are resumed by one read all send before the
    /// scheduled flush runs. Written in one go, the server idles while the client encodes them and the client
    /// idles while the server answers. Once this many commands, and at least as many as already await replies,
    /// are waiting, they are written at once: the server works on them while the rest are encoded. With 100
    /// callers this settles into two writes of about 50 per round trip and roughly 1.5 times the throughput; the
    /// floor keeps small bursts in one write, where a write per handful of commands would cost more than it saves.
    static let earlyWriteMinimum = 32

    /// Where callers encode their commands.
    var buffer: ByteBuffer
    /// The buffer of the previous write, handed back once the channel let go of it: `take` swaps it in, so steady
    /// traffic alternates between two buffers instead of allocating one per write.
    private var spare: ByteBuffer?
    private var flushScheduled = false
    /// Commands encoded since the last write.
    private var unflushedCommands = 0

    init(allocator: ByteBufferAllocator) {
        buffer = allocator.buffer(capacity: 1024)
    }

    /// Counts a command just encoded into `buffer`; `awaitingReplies` is every command whose reply is owed,
    /// this one included.
    mutating func commandQueued(awaitingReplies: Int) -> FlushDecision {
        unflushedCommands += 1
        guard flushScheduled else {
            flushScheduled = true
            return .scheduleFlush
        }
        if unflushedCommands >= max(Self.earlyWriteMinimum, awaitingReplies - unflushedCommands) {
            return .writeNowIfOnEventLoop
        }
        return .queued
    }

    /// Takes everything encoded since the last write. `beforeScheduledFlush`: an early write; the flush already
    /// scheduled will still run and take what follows.
    mutating func take(beforeScheduledFlush: Bool) -> ByteBuffer? {
        if !beforeScheduledFlush { flushScheduled = false }
        unflushedCommands = 0
        guard buffer.readableBytes > 0 else { return nil }
        let bytes = buffer
        if let spare {
            buffer = spare
            self.spare = nil
        } else {
            buffer.clear()  // still shared with `bytes`: this allocates
        }
        return bytes
    }

    /// Takes back a buffer returned by `take`, written and cleared, to be the next outbound buffer.
    mutating func recycle(_ cleared: ByteBuffer) {
        if spare == nil { spare = cleared }
    }

    /// Drops what was not written (the connection closed).
    mutating func discard() {
        buffer.clear()
        unflushedCommands = 0
    }
}
