import DequeModule
import NIOCore

/// Everything a connection knows, as a value composed of small ones: the bytes not yet written (`OutboundQueue`),
/// the commands awaiting replies in the order they were written (`ReplyQueue`), the Pub/Sub side
/// (`SubscriptionState`) and the transaction (`TransactionTracking`); this type checks a command against the modes,
/// routes each reply to the part it concerns, and keeps the lifecycle, the db and the liveness clock.
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

    /// See `OutboundQueue.earlyWriteMinimum`.
    static let earlyWriteMinimum = OutboundQueue.earlyWriteMinimum

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
    private var transaction = TransactionTracking()
    private var outbound: OutboundQueue
    private var replies = ReplyQueue()
    private(set) var pubSub = SubscriptionState()
    /// Set by every read; `checkLiveness` turns it into `lastActivity`, so a read costs no clock reading.
    private var sawTraffic = false
    private var lastActivity = NIODeadline.now()
    /// See `RedisConnectionConfiguration.healthCheckInterval`.
    private let healthCheckInterval: TimeAmount?
    /// The limit of the health-check PING: the command timeout, else the interval itself.
    private let healthCheckTimeout: TimeAmount

    init(db: Int, allocator: ByteBufferAllocator, commandTimeout: TimeAmount? = nil,
         healthCheckInterval: TimeAmount? = nil) {
        self.db = db
        self.outbound = OutboundQueue(allocator: allocator)
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

    var inTransaction: Bool { transaction.inTransaction }
    /// True after WATCH until EXEC, DISCARD, UNWATCH or RESET: tracked as written, like `inTransaction`.
    var isWatching: Bool { transaction.isWatching }
    var pendingCount: Int { replies.count }
    /// True when a reply is still owed to a caller that was cancelled (a blocking command, say).
    var hasAbandonedReplies: Bool { replies.hasAbandonedReplies }

    // The Pub/Sub side, as `RedisConnection` sets and reads it.

    /// The subscriptions the server confirmed on this connection.
    var subscriptions: SubscriptionTable { pubSub.subscriptions }
    /// The number of subscriptions (aioredis `in_pubsub`).
    var subscriptionCount: Int { pubSub.subscriptions.count }
    /// See `SubscriptionState.isRESP3`.
    var isRESP3: Bool {
        get { pubSub.isRESP3 }
        set { pubSub.isRESP3 = newValue }
    }
    /// See `SubscriptionState.closesChannelsOnLoss`.
    var closesChannelsOnLoss: Bool {
        get { pubSub.closesChannelsOnLoss }
        set { pubSub.closesChannelsOnLoss = newValue }
    }
    /// See `SubscriptionState.unsubscribeAfterOverflow`.
    var unsubscribeAfterOverflow: (@Sendable (PubSubCommandKind, String) -> Void)? {
        get { pubSub.unsubscribeAfterOverflow }
        set { pubSub.unsubscribeAfterOverflow = newValue }
    }
    /// See `SubscriptionState.shardChannelMoved`.
    var shardChannelMoved: (@Sendable (PubSubChannel) -> Void)? {
        get { pubSub.shardChannelMoved }
        set { pubSub.shardChannelMoved = newValue }
    }
    /// See `SubscriptionState.invalidationHandler`.
    var invalidationHandler: (@Sendable (RESPValue) -> Void)? {
        get { pubSub.invalidationHandler }
        set { pubSub.invalidationHandler = newValue }
    }

    private var isReadingRESP2PubSub: Bool {
        pubSub.isReadingRESP2PubSub(headIsPubSub: replies.headIsPubSub)
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
        if pubSub.isInRESP2PubSubMode, !traits.isAllowedInPubSubMode {
            return .fail(
                InvalidArgumentError(
                    "\(command) is not allowed while the connection is subscribed (RESP2 Pub/Sub mode); "
                        + "use another connection or unsubscribe first"))
        }
        var effect = effect
        if case .none = effect, let kind = traits.pubSubKind {
            // SUBSCRIBE and kin sent through plain `execute`: answered by confirmations like `executePubSub`.
            effect = .pubsub(
                PubSubRequest(kind: kind, remaining: pubSub.confirmationsExpected(kind, arguments.count)))
        }
        transaction.written(traits.role)
        if case .pubsub = effect { pubSub.commandWritten() }
        outbound.buffer.writeRedisCommand(command, arguments)
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
        let transactionBefore = transaction
        let inPubSubMode = pubSub.isInRESP2PubSubMode
        for index in commands.indices {
            let traits = RedisCommandTable.traits(commands[index].command)
            if inPubSubMode && !traits.isAllowedInPubSubMode || traits.pubSubKind != nil {
                transaction = transactionBefore
                return .fail(
                    InvalidArgumentError("\(commands[index].command) cannot be sent in a pipeline on this connection"))
            }
            transaction.written(traits.role)
        }
        outbound.buffer.writeRedisCommands(commands)
        return enqueue(limit.pending(id: id, continuation: continuation, effect: .batch(count: commands.count)))
    }

    /// Records who awaits the bytes just encoded; asks for a flush unless one is already scheduled.
    private mutating func enqueue(_ command: PendingCommand) -> SendResult {
        replies.append(command)
        switch outbound.commandQueued(awaitingReplies: replies.count) {
        case .scheduleFlush: return .scheduleFlush
        case .queued: return .queued
        case .writeNowIfOnEventLoop: return .queuedFlushNowIfOnEventLoop
        }
    }

    /// Takes everything encoded since the last flush. `beforeScheduledFlush`: an early write
    /// (`queuedFlushNowIfOnEventLoop`); the flush already scheduled will still run and take what follows.
    mutating func takeOutbound(beforeScheduledFlush: Bool = false) -> ByteBuffer? {
        outbound.take(beforeScheduledFlush: beforeScheduledFlush)
    }

    /// Takes back a buffer returned by `takeOutbound`, written and cleared, to be the next outbound buffer.
    mutating func recycleOutbound(_ cleared: ByteBuffer) {
        outbound.recycle(cleared)
    }

    /// The caller was cancelled: its continuation is handed back to be resumed, and its reply will be dropped.
    mutating func cancel(id: UInt64) -> ReplyContinuation? {
        replies.cancel(id: id)
    }

    // MARK: Receiving

    /// Matches a read's replies to their commands, in order, leaving `replies` empty.
    ///
    /// When they are exactly the replies of the explicit pipeline at the head of the queue, as when a pipeline's
    /// answer arrives in one read, the array is handed over whole instead of reply by reply.
    mutating func receive(_ read: inout [RESPValue], into actions: inout [Action]) throws {
        sawTraffic = true
        if replies.headIsUnansweredBatch(of: read.count), !isReadingRESP2PubSub, !read.contains(where: \.isPush) {
            replies.completeWholeBatch(with: &read, into: &actions)
            return
        }
        defer { read.removeAll(keepingCapacity: true) }
        for index in read.indices {
            try receive(read.moveOut(at: index), into: &actions)
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
        if replies.headIsPubSub {
            try failPubSubCommand(with: value, into: &actions)
            return
        }
        switch try replies.complete(with: value, into: &actions) {
        case .select(let newDB)?: db = newDB
        case .none?, .pubsub?, .batch?, nil: break
        }
    }

    /// A Pub/Sub command answered by something other than confirmations. An error reply (NOPERM for a channel
    /// the ACL user may not use, an unknown command) refuses the whole command: its caller gets the error and
    /// the connection goes on. Anything else breaks the protocol; the command stays queued so that closing the
    /// connection fails its caller too.
    private mutating func failPubSubCommand(with value: consuming RESPValue, into actions: inout [Action]) throws {
        switch ReplyError.result(of: value) {
        case .failure(let error):
            replies.completeHead(with: .failure(error), into: &actions)
            pubSub.commandFinished()
        case .success(let value):
            throw ProtocolError("expected a Pub/Sub confirmation, received \(value.preview)")
        }
    }

    private mutating func receivePubSubFrame(
        _ items: [RESPValue], kind: PubSubFrame.Kind?, into actions: inout [Action]
    ) throws {
        guard let kind, let frame = PubSubFrame(items, kind: kind) else {
            // A PONG answers a PING sent while subscribed; other pushes are not replies.
            if case .some(.pong) = kind {
                try completeNext(with: .array(items), into: &actions)
            } else {
                pubSub.unframedPush(items, into: &actions)
            }
            return
        }
        switch frame {
        case .message, .patternMessage, .shardMessage:
            pubSub.deliver(frame, into: &actions)
        case .confirmation(let kind, let name, let frameValue):
            confirm(kind: kind, name: name, frame: frameValue, into: &actions)
        }
    }

    /// A confirmation: the subscription state registers or removes its name; the Pub/Sub command at the head, when
    /// it is of this kind, collects it and is answered with the last one.
    private mutating func confirm(
        kind: PubSubCommandKind, name: String?, frame: RESPValue, into actions: inout [Action]
    ) {
        var request = replies.headPubSubRequest
        if request?.kind != kind { request = nil }
        if let name {
            pubSub.confirm(
                kind: kind, name: name, offered: request?.channels[name], solicited: request != nil, into: &actions)
        }
        guard var request else {
            // Unsolicited confirmations happen: UNSUBSCRIBE with no names, or a server-side unsubscribe.
            return
        }
        request.confirmations.append(frame)
        request.remaining -= 1
        if request.remaining > 0 {
            replies.updateHeadEffect(.pubsub(request))
            return
        }
        replies.completeHead(with: .success(.array(request.confirmations)), into: &actions)
        pubSub.commandFinished()
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
        if let overdue = replies.firstOverdue(now: now) {
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
        guard let interval = healthCheckInterval, replies.isEmpty, !transaction.inTransaction,
            now - lastActivity >= interval
        else { return .alive }
        lastActivity = now
        outbound.buffer.writeRedisCommand("PING", [])
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
        replies.failAll(with: error, overdue: overdue, into: &actions)
        pubSub.close(error: error, into: &actions)
        outbound.discard()
        transaction = TransactionTracking()
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
