import DequeModule
import NIOCore

/// Everything a connection knows, as a value: commands awaiting replies (in the order they were written),
/// bytes not yet flushed, and the modes that change how replies are read (transaction, Pub/Sub).
///
/// It is guarded by a lock owned by `RedisConnection`; calls happen from any task (sending) and from the event
/// loop (receiving). Methods return what must be done outside the lock (resuming continuations, delivering
/// messages) so no user code ever runs under it.
struct ConnectionStateMachine {
    typealias ReplyContinuation = UnsafeContinuation<RESPValue, any Error>

    enum Lifecycle {
        case open
        /// Closed; new calls fail with this error.
        case closed(any Error)
    }

    /// What a command changes in the connection's state once written or answered.
    enum CommandEffect: Sendable {
        case none
        case select(db: Int)
        case pubsub(PubSubRequest)
        /// Several commands written together; their replies are collected into one array.
        case batch(count: Int)
    }

    struct PubSubRequest: Sendable {
        var kind: PubSubCommandKind
        /// Confirmations still expected: one per channel or pattern named.
        var remaining: Int
        var confirmations: [RESPValue] = []
        /// Channel objects to register as their confirmations arrive, by name (a name without one gets a new
        /// channel; a name already registered keeps its own).
        var channels: [String: PubSubChannel] = [:]
    }

    struct PendingCommand {
        let id: UInt64
        /// `nil` once the caller was cancelled, or for a health check: the reply is read and dropped.
        var continuation: ReplyContinuation?
        var effect: CommandEffect
        /// When the reply is overdue: `distantFuture` when no limit applies.
        var deadline: NIODeadline = .distantFuture
        /// The limit the deadline came from, for the error message.
        var timeout: TimeAmount = .zero
    }

    /// The id of the PINGs `checkLiveness` sends; callers' ids start at 1.
    static let healthCheckID: UInt64 = 0

    enum SendResult {
        /// Queued; the caller must schedule a flush on the event loop.
        case scheduleFlush
        /// Queued behind a flush already scheduled.
        case queued
        /// Queued behind a flush already scheduled, but enough is waiting that the server should start on it:
        /// a caller on the event loop flushes now (see `earlyWriteMinimum`).
        case queuedFlushNowIfOnEventLoop
        case fail(any Error)
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

    enum Action {
        case resume(ReplyContinuation, Result<RESPValue, any Error>)
        case deliver(PubSubChannel, PubSubMessage)
        case closeChannel(PubSubChannel, (any Error)?)
        /// The server ended a shard channel's subscription on its own (its slot moved): the handler takes it over.
        case shardChannelMoved(PubSubChannel, @Sendable (PubSubChannel) -> Void)
        /// A client-side caching `invalidate` push, for the cache that tracks through this connection. Run in read
        /// order with the replies around it: that order is what the cache's correctness rests on.
        case invalidate(@Sendable (RESPValue) -> Void, RESPValue)
    }

    private(set) var lifecycle: Lifecycle = .open
    private(set) var db: Int
    private(set) var inTransaction = false
    /// True after WATCH until EXEC, DISCARD, UNWATCH or RESET: tracked as written, like `inTransaction`.
    private(set) var isWatching = false
    /// The subscriptions the server confirmed on this connection.
    private(set) var subscriptions = SubscriptionTable()
    /// True after `HELLO 3`: Pub/Sub messages arrive as pushes and other commands stay allowed.
    var isRESP3 = false
    /// False for a resubscribing subscriber's connection: its channels outlive it and are subscribed again on
    /// the next connection, so losing this one must not close them.
    var closesChannelsOnLoss = true
    /// Sends the unsubscribe command of a kind for one name: given to each channel this connection subscribes, for
    /// when its consumer falls too far behind (set by `RedisConnection`).
    var unsubscribeAfterOverflow: (@Sendable (PubSubCommandKind, String) -> Void)?
    /// Takes over the shard channels the server unsubscribes on its own (set by a cluster client, which subscribes
    /// them again on the slot's new node); without it they close.
    var shardChannelMoved: (@Sendable (PubSubChannel) -> Void)?
    /// Receives the keys of `invalidate` pushes (a client cache's tracking connection); without it they are dropped.
    var invalidationHandler: (@Sendable (RESPValue) -> Void)?
    private var outbound: ByteBuffer
    /// The buffer of the previous write, handed back once the channel let go of it: `takeOutbound` swaps it in,
    /// so steady traffic alternates between two buffers instead of allocating one per write.
    private var spareOutbound: ByteBuffer?
    private var flushScheduled = false
    /// Commands encoded since the last flush.
    private var unflushedCommands = 0
    private var pending: Deque<PendingCommand> = []
    /// Subscribe-family commands written and not fully confirmed; they put a RESP2 connection in Pub/Sub mode.
    private var pendingPubSubCommands = 0
    /// Replies collected so far for the batch at the head of `pending` (only the head can be collecting). Kept
    /// outside the queue so appending never copies the array.
    private var headBatchReplies: [RESPValue] = []
    /// Set by every read; `checkLiveness` turns it into `lastActivity`, so a read costs no clock reading.
    private var sawTraffic = false
    private var lastActivity = NIODeadline.now()
    /// At most this many commands at the end of `pending` were queued since the last liveness check, and may
    /// still have their deadline to fix (`CommandLimit.fromNextCheck`). Over-counting is harmless.
    private var queuedSinceLastCheck = 0
    /// See `RedisConnectionConfiguration.healthCheckInterval`.
    private let healthCheckInterval: TimeAmount?
    /// The limit of the health-check PING: the command timeout, else the interval itself.
    private let healthCheckTimeout: TimeAmount

    init(db: Int, allocator: ByteBufferAllocator, commandTimeout: TimeAmount? = nil,
         healthCheckInterval: TimeAmount? = nil) {
        self.db = db
        self.outbound = allocator.buffer(capacity: 1024)
        self.healthCheckInterval = healthCheckInterval
        self.healthCheckTimeout = commandTimeout ?? healthCheckInterval ?? .seconds(30)
    }

    /// A quarter of the shorter limit: an overdue reply is noticed at most half a limit late (up to a quarter
    /// before the check that fixes its deadline, up to a quarter before the check that finds it overdue), and an
    /// idle connection costs four wake-ups per limit rather than a timer per command.
    static func livenessCheckPeriod(_ commandTimeout: TimeAmount?, _ healthCheckInterval: TimeAmount?)
        -> TimeAmount?
    {
        let limits = [commandTimeout, healthCheckInterval].compactMap { $0 }
        guard let shortest = limits.min() else { return nil }
        return max(.nanoseconds(shortest.nanoseconds / 4), .milliseconds(1))
    }

    var isClosed: Bool {
        if case .closed = lifecycle { return true }
        return false
    }

    var pendingCount: Int { pending.count }

    /// True when a reply is still owed to a caller that was cancelled (a blocking command, say).
    var hasAbandonedReplies: Bool {
        pending.contains { $0.continuation == nil && $0.id != Self.healthCheckID }
    }

    /// The number of subscriptions (aioredis `in_pubsub`).
    var subscriptionCount: Int { subscriptions.count }

    /// RESP2 connections in Pub/Sub mode accept only Pub/Sub commands.
    private var isInRESP2PubSubMode: Bool {
        !isRESP3 && (subscriptionCount > 0 || pendingPubSubCommands > 0)
    }

    /// Whether a RESP2 array may be a Pub/Sub frame: only once subscribed or when a Pub/Sub command is next in
    /// line, so an ordinary reply that happens to start with "message" is never taken for one.
    private var isReadingRESP2PubSub: Bool {
        guard !isRESP3 else { return false }
        if subscriptionCount > 0 { return true }
        if let head = pending.first, case .pubsub = head.effect { return true }
        return false
    }

    // MARK: Sending

    /// Encodes a command into the outbound buffer and records who awaits its reply.
    mutating func send(
        id: UInt64,
        command: String,
        arguments: [any RedisArgument],
        effect: CommandEffect,
        limit: CommandLimit = .none,
        continuation: ReplyContinuation
    ) -> SendResult {
        if case .closed(let error) = lifecycle { return .fail(error) }
        let traits = RedisCommandTable.traits(command)
        if isInRESP2PubSubMode, !traits.isAllowedInPubSubMode {
            return .fail(
                InvalidArgumentError(
                    "\(command) is not allowed while the connection is subscribed (RESP2 Pub/Sub mode); "
                        + "use another connection or unsubscribe first"))
        }
        var effect = effect
        if case .none = effect, let kind = traits.pubSubKind {
            // SUBSCRIBE and kin sent through plain `execute`: answered by confirmations like `executePubSub`.
            effect = .pubsub(PubSubRequest(kind: kind, remaining: confirmationsExpected(kind, arguments.count)))
        }
        trackTransaction(traits.role)
        if case .pubsub = effect { pendingPubSubCommands += 1 }
        outbound.writeRedisCommand(command, arguments)
        return enqueue(limit.pending(id: id, continuation: continuation, effect: effect))
    }

    /// Encodes several commands at once, awaited by one continuation that receives every reply in an array
    /// (error replies included, as `.error` values): an explicit pipeline costs one lock and one wake-up.
    mutating func sendBatch(
        id: UInt64, commands: [(command: String, arguments: [any RedisArgument])], limit: CommandLimit = .none,
        continuation: ReplyContinuation
    ) -> SendResult {
        if case .closed(let error) = lifecycle { return .fail(error) }
        guard !commands.isEmpty else { return .fail(InvalidArgumentError("a pipeline needs at least one command")) }
        // Every command is checked before any is written, so a refused pipeline leaves nothing behind; the
        // transaction state follows the pipeline's MULTI/EXEC/DISCARD once it is written.
        let inTransactionBefore = inTransaction
        let isWatchingBefore = isWatching
        let inPubSubMode = isInRESP2PubSubMode
        for index in commands.indices {
            let traits = RedisCommandTable.traits(commands[index].command)
            if inPubSubMode && !traits.isAllowedInPubSubMode || traits.pubSubKind != nil {
                inTransaction = inTransactionBefore
                isWatching = isWatchingBefore
                return .fail(
                    InvalidArgumentError("\(commands[index].command) cannot be sent in a pipeline on this connection"))
            }
            trackTransaction(traits.role)
        }
        outbound.writeRedisCommands(commands)
        return enqueue(limit.pending(id: id, continuation: continuation, effect: .batch(count: commands.count)))
    }

    /// How many confirmations a Pub/Sub command sent with `count` names brings: one per name; without names, an
    /// unsubscribe confirms every subscription of its kind, or sends one confirmation when there is none.
    private func confirmationsExpected(_ kind: PubSubCommandKind, _ count: Int) -> Int {
        guard count == 0, !kind.subscribes else { return count }
        return Swift.max(1, subscriptions[SubscriptionFamily(kind)].count)
    }

    /// MULTI opens a transaction, EXEC and DISCARD close it, and end a WATCH too: tracked as written, like aioredis.
    private mutating func trackTransaction(_ role: RedisCommandTraits.ConnectionRole) {
        switch role {
        case .multi: inTransaction = true
        case .exec, .discard, .reset:
            inTransaction = false
            isWatching = false
        case .watch: isWatching = true
        case .unwatch: isWatching = false
        default: break
        }
    }

    /// Records who awaits the bytes just encoded; asks for a flush unless one is already scheduled.
    private mutating func enqueue(_ command: PendingCommand) -> SendResult {
        pending.append(command)
        queuedSinceLastCheck += 1
        unflushedCommands += 1
        guard flushScheduled else {
            flushScheduled = true
            return .scheduleFlush
        }
        let awaitingReplies = pending.count - unflushedCommands
        if unflushedCommands >= max(Self.earlyWriteMinimum, awaitingReplies) {
            return .queuedFlushNowIfOnEventLoop
        }
        return .queued
    }

    /// Takes everything encoded since the last flush. `beforeScheduledFlush`: an early write
    /// (`queuedFlushNowIfOnEventLoop`); the flush already scheduled will still run and take what follows.
    mutating func takeOutbound(beforeScheduledFlush: Bool = false) -> ByteBuffer? {
        if !beforeScheduledFlush { flushScheduled = false }
        unflushedCommands = 0
        guard outbound.readableBytes > 0 else { return nil }
        let bytes = outbound
        if let spare = spareOutbound {
            outbound = spare
            spareOutbound = nil
        } else {
            outbound.clear()  // still shared with `bytes`: this allocates
        }
        return bytes
    }

    /// Takes back a buffer returned by `takeOutbound`, written and cleared, to be the next outbound buffer.
    mutating func recycleOutbound(_ cleared: ByteBuffer) {
        if spareOutbound == nil { spareOutbound = cleared }
    }

    /// The caller was cancelled: its continuation is handed back to be resumed, and its reply will be dropped.
    mutating func cancel(id: UInt64) -> ReplyContinuation? {
        guard let index = pending.firstIndex(where: { $0.id == id }) else { return nil }
        let continuation = pending[index].continuation
        pending[index].continuation = nil
        return continuation
    }

    // MARK: Receiving

    /// Matches a read's replies to their commands, in order, leaving `replies` empty.
    ///
    /// When they are exactly the replies of the explicit pipeline at the head of the queue, as when a pipeline's
    /// answer arrives in one read, the array is handed over whole instead of reply by reply.
    mutating func receive(_ replies: inout [RESPValue], into actions: inout [Action]) throws {
        sawTraffic = true
        if case .batch(let count)? = pending.first?.effect, headBatchReplies.isEmpty, replies.count == count,
            !isReadingRESP2PubSub, !replies.contains(where: \.isPush)
        {
            let finished = pending.removeFirst()
            var whole: [RESPValue] = []
            swap(&whole, &replies)
            // The reader's array left with the replies: the next one gets room for as many, in one allocation,
            // rather than growing by doubling.
            replies.reserveCapacity(count)
            if let continuation = finished.continuation {
                actions.append(.resume(continuation, .success(.array(whole))))
            }
            return
        }
        defer { replies.removeAll(keepingCapacity: true) }
        for index in replies.indices {
            try receive(replies.moveOut(at: index), into: &actions)
        }
    }

    /// Matches one reply to its command, or routes a Pub/Sub message to its channel.
    mutating func receive(_ value: consuming RESPValue, into actions: inout [Action]) throws {
        switch consume value {
        case .push(let items):
            try receivePubSubFrame(items, kind: PubSubFrame.kind(of: items), into: &actions)
        case .array(.some(let items)) where isReadingRESP2PubSub:
            if let kind = PubSubFrame.frameKind(of: items) {
                try receivePubSubFrame(items, kind: kind, into: &actions)
            } else {
                try completeNext(with: .array(items), into: &actions)
            }
        case let value:
            try completeNext(with: value, into: &actions)
        }
    }

    private mutating func completeNext(with value: consuming RESPValue, into actions: inout [Action]) throws {
        guard !pending.isEmpty else {
            throw ProtocolError("received a reply while no command was waiting for one: \(value.preview)")
        }
        if case .batch(let count) = pending[pending.startIndex].effect {
            if headBatchReplies.isEmpty { headBatchReplies.reserveCapacity(count) }
            headBatchReplies.append(value)
            guard headBatchReplies.count == count else { return }
            let finished = pending.removeFirst()
            let replies = headBatchReplies
            headBatchReplies = []
            if let continuation = finished.continuation {
                actions.append(.resume(continuation, .success(.array(replies))))
            }
            return
        }
        if case .pubsub = pending[pending.startIndex].effect {
            try failPubSubCommand(with: value, into: &actions)
            return
        }
        let command = pending.removeFirst()
        let result: Result<RESPValue, any Error>
        if case .error(let message) = value {
            result = .failure(ReplyError.make(fromServerMessage: String(buffer: message)))
        } else {
            if case .select(let newDB) = command.effect { db = newDB }
            result = .success(value)
        }
        if let continuation = command.continuation {
            actions.append(.resume(continuation, result))
        }
    }

    /// A Pub/Sub command answered by something other than confirmations. An error reply (NOPERM for a channel
    /// the ACL user may not use, an unknown command) refuses the whole command: its caller gets the error and
    /// the connection goes on. Anything else breaks the protocol; the command stays queued so that closing the
    /// connection fails its caller too.
    private mutating func failPubSubCommand(with value: consuming RESPValue, into actions: inout [Action]) throws {
        guard case .error(let message) = value else {
            throw ProtocolError("expected a Pub/Sub confirmation, received \(value.preview)")
        }
        let command = pending.removeFirst()
        pendingPubSubCommands -= 1
        if let continuation = command.continuation {
            actions.append(.resume(continuation, .failure(ReplyError.make(fromServerMessage: String(buffer: message)))))
        }
    }

    private mutating func receivePubSubFrame(
        _ items: [RESPValue], kind: PubSubFrame.Kind?, into actions: inout [Action]
    ) throws {
        guard let kind, let frame = PubSubFrame(items, kind: kind) else {
            // Other RESP3 pushes are not replies: only client-side caching invalidations have a taker.
            if case .some(.pong) = kind {
                try completeNext(with: .array(items), into: &actions)
            } else if let handler = invalidationHandler, items.count == 2,
                ClientCacheInvalidation.isInvalidate(items[0])
            {
                actions.append(.invalidate(handler, items[1]))
            }
            return
        }
        switch frame {
        case .message(let channel, let payload):
            if let target = subscriptions[.channel, channel] {
                actions.append(.deliver(target, PubSubMessage(channel: channel, payload: payload)))
            }
        case .patternMessage(let pattern, let channel, let payload):
            if let target = subscriptions[.pattern, pattern] {
                actions.append(.deliver(target, PubSubMessage(channel: channel, pattern: pattern, payload: payload)))
            }
        case .shardMessage(let channel, let payload):
            if let target = subscriptions[.shardChannel, channel] {
                actions.append(.deliver(target, PubSubMessage(channel: channel, payload: payload)))
            }
        case .confirmation(let kind, let name, let frameValue):
            try confirm(kind: kind, name: name, frame: frameValue, into: &actions)
        }
    }

    private mutating func confirm(
        kind: PubSubCommandKind, name: String?, frame: RESPValue, into actions: inout [Action]
    ) throws {
        var request: PubSubRequest?
        if let head = pending.first, case .pubsub(let headRequest) = head.effect, headRequest.kind == kind {
            request = headRequest
        }
        if let name {
            if kind.subscribes {
                // A name already registered keeps its channel, and that channel's consumer keeps reading
                // (aioredis registers a channel only when its name is new).
                let offered = request?.channels[name]
                let (channel, isNew) = subscriptions.channel(SubscriptionFamily(kind), named: name) {
                    offered ?? PubSubChannel(name: name, isPattern: kind.isPattern)
                }
                if isNew, let unsubscribe = unsubscribeAfterOverflow, let undo = kind.undoingKind {
                    channel.unsubscribesOnOverflow { unsubscribe(undo, name) }
                }
            } else if let removed = subscriptions[SubscriptionFamily(kind), name] {
                subscriptions[SubscriptionFamily(kind), name] = nil
                if kind == .sunsubscribe, request == nil, let handler = shardChannelMoved {
                    actions.append(.shardChannelMoved(removed, handler))
                } else {
                    actions.append(.closeChannel(removed, nil))
                }
            }
        }
        guard var request else {
            // Unsolicited confirmations happen: UNSUBSCRIBE with no names, or a server-side unsubscribe.
            return
        }
        request.confirmations.append(frame)
        request.remaining -= 1
        if request.remaining > 0 {
            pending[pending.startIndex].effect = .pubsub(request)
            return
        }
        let command = pending.removeFirst()
        pendingPubSubCommands -= 1
        if let continuation = command.continuation {
            actions.append(.resume(continuation, .success(.array(request.confirmations))))
        }
    }

    // MARK: Liveness

    /// What `checkLiveness` found.
    enum Liveness {
        case alive
        /// A reply was overdue: the state is closed and `actions` fail every caller.
        case overdue
        /// The connection was idle for the health-check interval: a PING was queued, to be flushed as `SendResult`
        /// says.
        case healthCheckQueued(SendResult)
    }

    /// Runs on the connection's periodic tick (and at a per-call deadline): closes the state when the oldest
    /// reply is overdue, and sends a PING on a connection idle for `healthCheckInterval`, whose missing answer a
    /// later tick finds overdue.
    mutating func checkLiveness(now: NIODeadline, into actions: inout [Action]) -> Liveness {
        guard case .open = lifecycle else { return .alive }
        // Commands queued since the last check were sent at or before `now`: counted from here, their limit
        // cannot end early.
        for index in max(pending.count - queuedSinceLastCheck, 0)..<pending.count
        where pending[index].deadline == .distantFuture && pending[index].timeout > .zero {
            pending[index].deadline = now + pending[index].timeout
        }
        queuedSinceLastCheck = 0
        // Replies come in order, so any overdue command means the server stopped answering this connection; it
        // need not be the head (a per-call limit can be shorter than an earlier command's).
        if let overdue = pending.first(where: { $0.deadline <= now }) {
            let limit = Duration.nanoseconds(overdue.timeout.nanoseconds)
            let timeoutError = TimeoutError(
                overdue.id == Self.healthCheckID
                    ? "the server did not answer a health-check PING within \(limit); the connection was closed"
                    : "no reply within the command timeout (\(limit)); the connection was closed")
            let closedError = ConnectionClosedError(
                "connection closed because a reply was overdue: \(timeoutError.message)", cause: timeoutError)
            close(error: closedError, overdue: (overdue.id, timeoutError), into: &actions)
            return .overdue
        }
        if sawTraffic {
            sawTraffic = false
            lastActivity = now
            return .alive
        }
        // Inside MULTI the PING would join the caller's transaction; with replies pending, their deadlines
        // already watch the server.
        guard let interval = healthCheckInterval, pending.isEmpty, !inTransaction, now - lastActivity >= interval
        else { return .alive }
        lastActivity = now
        outbound.writeRedisCommand("PING", [])
        let check = CommandLimit(deadline: now + healthCheckTimeout, timeout: healthCheckTimeout)
        return .healthCheckQueued(
            enqueue(check.pending(id: Self.healthCheckID, continuation: nil, effect: .none)))
    }

    // MARK: Closing

    /// Closes the state: every waiting call fails with `error`, every channel is closed with it.
    /// New calls fail with `error` too.
    /// `overdue`: the command whose reply came too late gets this error instead.
    mutating func close(error: any Error, overdue: (id: UInt64, error: any Error)? = nil,
                        into actions: inout [Action]) {
        if case .closed = lifecycle { return }
        lifecycle = .closed(error)
        for command in pending {
            if let continuation = command.continuation {
                let failure = command.id == overdue?.id ? overdue!.error : error
                actions.append(.resume(continuation, .failure(failure)))
            }
        }
        pending.removeAll()
        headBatchReplies = []
        pendingPubSubCommands = 0
        if closesChannelsOnLoss {
            let channelError = ChannelClosedError("subscription ended: \(error)", cause: error)
            for channel in subscriptions.all { actions.append(.closeChannel(channel, channelError)) }
        }
        subscriptions = SubscriptionTable()
        outbound.clear()
        unflushedCommands = 0
        inTransaction = false
        isWatching = false
    }
}

extension ConnectionStateMachine.Action {
    /// Runs an action outside the lock.
    func run() {
        switch self {
        case .resume(let continuation, let result):
            continuation.resume(with: result)
        case .deliver(let channel, let message):
            channel.putNoWait(message)
        case .closeChannel(let channel, let error):
            channel.close(error: error)
        case .shardChannelMoved(let channel, let handler):
            handler(channel)
        case .invalidate(let handler, let keys):
            handler(keys)
        }
    }
}

/// When a command's reply becomes overdue.
struct CommandLimit {
    var deadline: NIODeadline
    var timeout: TimeAmount

    /// No limit: the command may wait forever (cancellation still frees its caller).
    static let none = CommandLimit(deadline: .distantFuture, timeout: .zero)

    /// The connection's own limit, set without reading the clock: the next liveness check fixes the deadline
    /// at its own time plus `timeout`, so the reply is due between `timeout` and `timeout` plus one check period
    /// after the command was queued, never before.
    static func fromNextCheck(_ timeout: TimeAmount) -> CommandLimit {
        CommandLimit(deadline: .distantFuture, timeout: timeout)
    }

    func pending(id: UInt64, continuation: ConnectionStateMachine.ReplyContinuation?,
                 effect: ConnectionStateMachine.CommandEffect) -> ConnectionStateMachine.PendingCommand {
        .init(id: id, continuation: continuation, effect: effect, deadline: deadline, timeout: timeout)
    }
}
