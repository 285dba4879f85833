import Logging
import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// One connection to a Redis server (aioredis `RedisConnection`).
///
/// Any number of tasks may call `execute` at once: commands are written in the order they are issued, without
/// waiting for earlier replies (implicit pipelining), and replies are matched in that order. Everything issued
/// within one event-loop tick leaves in a single write and flush.
public final class RedisConnection: RedisConnectionProtocol {
    /// The resolved address (an IP address rather than a host name, or the socket path).
    public let address: RedisAddress
    /// How replies are decoded as `String` when a call does not say.
    public let encoding: RedisEncoding?
    let channel: any Channel
    /// An executor running tasks on this connection's event loop: see `RedisEventLoopExecutor`.
    public let taskExecutor: RedisEventLoopExecutor
    let state: NIOLockedValueBox<ConnectionStateMachine>
    /// The channel handler, which writes what callers encode into `state` (on the loop only).
    private let writer: NIOLoopBound<any RedisOutboundFlushing>
    private let nextCommandID = Atomic<UInt64>(0)
    /// See `RedisConnectionConfiguration.commandTimeout`.
    let commandTimeout: TimeAmount?
    /// Lifecycle events, with this connection's id, endpoint and db as metadata.
    let logger: Logger
    /// `nil` unless metrics, tracing or trace logging listen: see `CommandInstruments`.
    private let instruments: CommandInstruments?
    /// Set by `close()`: a channel closing without it was lost.
    private let closeRequested = NIOLockedValueBox(false)

    init(channel: any Channel, state: NIOLockedValueBox<ConnectionStateMachine>,
         writer: NIOLoopBound<any RedisOutboundFlushing>, address: RedisAddress,
         encoding: RedisEncoding?, commandTimeout: TimeAmount? = nil, healthCheckInterval: TimeAmount? = nil,
         logger: Logger = RedisLogging.defaultLogger, instruments: CommandInstruments? = nil) {
        self.logger = logger
        self.instruments = instruments
        self.channel = channel
        self.writer = writer
        self.taskExecutor = RedisEventLoopExecutor(channel.eventLoop)
        self.state = state
        self.address = address
        self.encoding = encoding
        self.commandTimeout = commandTimeout
        // The closures below hold the connection strongly, and its channel's close lets go of them. They must not
        // hold it weakly: an object ever referenced weakly gets a side table, and from then on every retain and
        // release of it takes the slow path — measured as 18 % of the pool benchmark's CPU time.
        // An open channel keeps itself alive anyway (its event loop holds it), so nothing is kept longer than that.
        state.withLockedValue {
            $0.unsubscribeAfterOverflow = { kind, name in
                Task { _ = try? await self.executePubSub(kind.rawValue, channels: [name]) }
            }
        }
        let livenessChecks = startLivenessChecks(
            every: ConnectionStateMachine.livenessCheckPeriod(commandTimeout, healthCheckInterval))
        channel.closeFuture.whenComplete { [state] _ in
            livenessChecks?.cancel()
            state.withLockedValue { $0.unsubscribeAfterOverflow = nil }
        }
        logClosing()
    }

    private func logClosing() {
        channel.closeFuture.whenComplete { [logger, closeRequested] _ in
            if closeRequested.withLockedValue({ $0 }) {
                logger.debug("connection closed")
            } else {
                logger.info("connection lost")
            }
        }
    }

    /// One repeating task per connection, for as long as its channel is open (the caller cancels it on close).
    private func startLivenessChecks(every period: TimeAmount?) -> RepeatedTask? {
        guard let period else { return nil }
        return channel.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            self.checkLiveness()
        }
    }

    /// Closes the connection when a reply is overdue; sends the health-check PING when it is due.
    private func checkLiveness() {
        var actions: [ConnectionStateMachine.Action] = []
        let liveness = state.withLockedValue { $0.checkLiveness(now: .now(), into: &actions) }
        switch liveness {
        case .alive:
            break
        case .overdue:
            for action in actions { action.run() }
            channel.close(promise: nil)
        case .healthCheckQueued(.scheduleFlush):
            flush()
        case .healthCheckQueued:
            break  // a flush is already scheduled and will write the PING
        }
    }

    /// The limit of a command sent now: the task's `withCommandTimeout` value (`override`), else
    /// `commandTimeout`; a blocking command's own wait is added. Only a per-call limit reads the clock: the
    /// connection's own gets its deadline from the next liveness check.
    private func limit(_ command: String, _ arguments: [any RedisArgument], override: TimeAmount?) -> CommandLimit {
        guard let timeout = override ?? commandTimeout else { return .none }
        return limit(BlockingCommand.limit(command, arguments, timeout: timeout), override: override)
    }

    /// A pipeline's limit is its slowest command's; one that blocks forever lifts it.
    private func limit(_ commands: [(command: String, arguments: [any RedisArgument])], override: TimeAmount?)
        -> CommandLimit
    {
        guard let timeout = override ?? commandTimeout else { return .none }
        var longest = TimeAmount.zero
        for command in commands {
            guard let limit = BlockingCommand.limit(command.command, command.arguments, timeout: timeout) else {
                return .none
            }
            longest = max(longest, limit)
        }
        return limit(longest, override: override)
    }

    private func limit(_ limit: TimeAmount?, override: TimeAmount?) -> CommandLimit {
        guard let limit else { return .none }
        return override == nil ? .fromNextCheck(limit) : CommandLimit(deadline: .now() + limit, timeout: limit)
    }

    /// Opens a connection with `configuration` (socket, TLS, HELLO/AUTH/SELECT).
    public static func connect(_ configuration: RedisConnectionConfiguration) async throws -> RedisConnection {
        try await RedisConnectionFactory.connect(configuration)
    }

    /// The database selected now.
    public var db: Int { state.withLockedValue { $0.db } }
    /// True once closed, by `close()` or by the server.
    public var isClosed: Bool { state.withLockedValue { $0.isClosed } }
    /// True between MULTI and EXEC/DISCARD.
    public var inTransaction: Bool { state.withLockedValue { $0.inTransaction } }
    /// True after WATCH until EXEC, DISCARD, UNWATCH or RESET.
    public var isWatching: Bool { state.withLockedValue { $0.isWatching } }
    /// Subscribed channels, by name.
    public var pubsubChannels: [String: PubSubChannel] { state.withLockedValue { $0.subscriptions.channels } }
    /// Subscribed patterns, by pattern.
    public var pubsubPatterns: [String: PubSubChannel] { state.withLockedValue { $0.subscriptions.patterns } }
    /// Sharded (SSUBSCRIBE) channels, by name.
    public var pubsubShardChannels: [String: PubSubChannel] { state.withLockedValue { $0.subscriptions.shardChannels } }
    /// The number of subscriptions; 0 when not in Pub/Sub mode.
    public var inPubSub: Int { state.withLockedValue { $0.subscriptionCount } }
    /// Commands written (or about to be) whose replies have not arrived.
    public var pendingCount: Int { state.withLockedValue { $0.pendingCount } }
    /// True when a cancelled caller's reply is still awaited: the connection may stay blocked until it comes.
    public var hasAbandonedReplies: Bool { state.withLockedValue { $0.hasAbandonedReplies } }
    /// True when the connection speaks RESP3 (`protocolVersion: 3`).
    public var isRESP3: Bool { state.withLockedValue { $0.isRESP3 } }

    /// Sends a command without waiting for earlier replies (implicit pipelining) and returns its reply; an error
    /// reply is thrown as `ReplyError`.
    public func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await send(command, arguments, effect: .none)
    }

    /// Changes the database (aioredis `select`); returns true or throws.
    @discardableResult
    public func select(_ db: Int) async throws -> Bool {
        guard db >= 0 else { throw InvalidArgumentError("db must be >= 0, got \(db)") }
        _ = try await send("SELECT", [db], effect: .select(db: db))
        return true
    }

    /// Sends AUTH (aioredis `auth`); with a username, ACL authentication.
    @discardableResult
    public func auth(_ password: String, username: String? = nil) async throws -> Bool {
        let reply: RESPValue
        if let username {
            reply = try await execute("AUTH", username, password)
        } else {
            reply = try await execute("AUTH", password)
        }
        return try Bool(fromRESP: reply, encoding: .utf8)
    }

    /// Sends a Pub/Sub command for `targets` (names or `PubSubChannel`s) and returns one confirmation per name.
    public func executePubSub(_ command: String, channels targets: [any PubSubTarget]) async throws -> [RESPValue] {
        guard let kind = PubSubCommandKind(command: command) else {
            throw InvalidArgumentError("\(command) is not a Pub/Sub command (subscribe, unsubscribe, psubscribe, "
                + "punsubscribe, ssubscribe, sunsubscribe)")
        }
        guard !targets.isEmpty else {
            throw InvalidArgumentError("\(command) needs at least one channel or pattern")
        }
        var channels: [String: PubSubChannel] = [:]
        var names: [any RedisArgument] = []
        for target in targets {
            let name = target.pubSubName
            if let channel = target as? PubSubChannel {
                guard channel.isPattern == kind.isPattern else {
                    throw InvalidArgumentError("\(channel) cannot be used with \(command)")
                }
                channels[name] = channel
            }
            names.append(name)
        }
        let request = ConnectionStateMachine.PubSubRequest(kind: kind, remaining: names.count, channels: channels)
        let reply = try await send(kind.rawValue.uppercased(), names, effect: .pubsub(request))
        guard case .array(.some(let confirmations)) = reply else { return [reply] }
        return confirmations
    }

    /// Sends several commands in one write and returns each reply in order (an explicit pipeline). A command's
    /// error reply is its `.failure`, the others stay readable; a lost connection throws for the whole batch.
    public func executeBatch(_ commands: [(command: String, arguments: [any RedisArgument])]) async throws
        -> [Result<RESPValue, ReplyError>]
    {
        let override = RedisCommandTimeout.override
        // The pipeline's limit is its slowest command's.
        let batchLimit = limit(commands, override: override)
        let timerAt = override.map { _ in batchLimit.deadline }
        if let instruments {
            return try await sendBatchObserved(by: instruments, commands, limit: batchLimit, timerAt: timerAt)
        }
        return try batchResults(
            await submit(timerAt: timerAt) { state, id, continuation in
                state.sendBatch(id: id, commands: commands, limit: batchLimit, continuation: continuation)
            })
    }

    /// `executeBatch`, measured, traced and trace-logged. Apart so that the fast path stays as it was.
    private func sendBatchObserved(
        by instruments: CommandInstruments, _ commands: [(command: String, arguments: [any RedisArgument])],
        limit: CommandLimit, timerAt: NIODeadline?
    ) async throws -> [Result<RESPValue, ReplyError>] {
        let observation = instruments.begin(commands, db: db)
        do {
            let results = try batchResults(
                await submit(timerAt: timerAt) { state, id, continuation in
                    state.sendBatch(id: id, commands: commands, limit: limit, continuation: continuation)
                })
            instruments.end(observation, results: results)
            return results
        } catch {
            instruments.end(observation, failure: error)
            throw error
        }
    }

    /// A pipeline's reply split into one result per command.
    private func batchResults(_ reply: consuming RESPValue) throws -> [Result<RESPValue, ReplyError>] {
        guard case .array(.some(var replies)) = consume reply else {
            throw UnexpectedReplyError("pipeline reply of unexpected shape")
        }
        var results: [Result<RESPValue, ReplyError>] = []
        results.reserveCapacity(replies.count)
        for index in replies.indices {
            results.append(ReplyError.result(of: replies.moveOut(at: index)))
        }
        return results
    }

    /// `execute`, calling `afterQueued` once the command is queued (or refused), before waiting for the reply:
    /// a pool ends its reservation of this connection there.
    func execute(_ command: String, arguments: [any RedisArgument], afterQueued: () -> Void) async throws
        -> RESPValue
    {
        try await send(command, arguments, effect: .none, afterQueued: afterQueued)
    }

    private func send(
        _ command: String, _ arguments: [any RedisArgument], effect: ConnectionStateMachine.CommandEffect,
        afterQueued: () -> Void = {}
    ) async throws -> RESPValue {
        let override = RedisCommandTimeout.override
        let limit = limit(command, arguments, override: override)
        let timerAt = override.map { _ in limit.deadline }
        if let instruments {
            return try await sendObserved(
                by: instruments, command, arguments, effect: effect, limit: limit, timerAt: timerAt,
                afterQueued: afterQueued)
        }
        return try await submit(timerAt: timerAt, afterQueued: afterQueued) { state, id, continuation in
            state.send(
                id: id, command: command, arguments: arguments, effect: effect, limit: limit,
                continuation: continuation)
        }
    }

    /// `send`, measured, traced and trace-logged.
    private func sendObserved(
        by instruments: CommandInstruments, _ command: String, _ arguments: [any RedisArgument],
        effect: ConnectionStateMachine.CommandEffect, limit: CommandLimit, timerAt: NIODeadline?,
        afterQueued: () -> Void
    ) async throws -> RESPValue {
        let observation = instruments.begin(command, argumentCount: arguments.count, db: db)
        do {
            let reply = try await submit(timerAt: timerAt, afterQueued: afterQueued) { state, id, continuation in
                state.send(
                    id: id, command: command, arguments: arguments, effect: effect, limit: limit,
                    continuation: continuation)
            }
            instruments.end(observation, failure: nil)
            return reply
        } catch {
            instruments.end(observation, failure: error)
            throw error
        }
    }

    /// Queues what `enqueue` encodes and awaits its reply. A cancelled caller is answered at once with
    /// `CancellationError`; its reply is still read and dropped, so the connection stays in sync.
    /// `timerAt`: a per-call limit's deadline, checked by a timer of its own (the periodic check may come later).
    private func submit(
        timerAt deadline: NIODeadline? = nil,
        afterQueued: () -> Void = {},
        _ enqueue: (inout ConnectionStateMachine, UInt64, ConnectionStateMachine.ReplyContinuation)
            -> ConnectionStateMachine.SendResult
    ) async throws -> RESPValue {
        let id = nextCommandID.wrappingAdd(1, ordering: .relaxed).newValue
        let timer = deadline.flatMap { deadline in
            deadline == .distantFuture
                ? nil : channel.eventLoop.scheduleTask(deadline: deadline) { self.checkLiveness() }
        }
        defer { timer?.cancel() }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                let result = state.withLockedValue { state -> ConnectionStateMachine.SendResult in
                    // Checked under the lock: a cancellation that lands after this finds the command queued.
                    if Task.isCancelled { return .fail(CancellationError()) }
                    return enqueue(&state, id, continuation)
                }
                afterQueued()
                switch result {
                case .queued:
                    break
                case .queuedFlushNowIfOnEventLoop:
                    // Off the loop, writing now would cost a wake-up of the loop; the scheduled flush will do.
                    if channel.eventLoop.inEventLoop { flush(beforeScheduledFlush: true) }
                case .scheduleFlush:
                    channel.eventLoop.execute { self.flush() }
                case .fail(let error):
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            state.withLockedValue { $0.cancel(id: id) }?.resume(throwing: CancellationError())
        }
    }

    /// Hands the shard channels the server unsubscribes on its own (their slot moved) to `handler` instead of
    /// closing them.
    func onShardChannelMoved(_ handler: @escaping @Sendable (PubSubChannel) -> Void) {
        state.withLockedValue { $0.shardChannelMoved = handler }
    }

    /// Hands every client-side caching `invalidate` push to `handler`, on the event loop, in read order.
    func onInvalidation(_ handler: @escaping @Sendable (RESPValue) -> Void) {
        state.withLockedValue { $0.invalidationHandler = handler }
    }

    /// Keeps subscribed channels open when this connection is lost (a resubscribing subscriber's connection).
    func keepChannelsOnLoss() {
        state.withLockedValue { $0.closesChannelsOnLoss = false }
    }

    /// Called once `HELLO 3` succeeded.
    func markRESP3() {
        state.withLockedValue { $0.isRESP3 = true }
    }

    /// Has the channel handler write everything encoded since the last flush; runs on the event loop, once per
    /// batch (and for an early write, `beforeScheduledFlush`, from a caller on the event loop).
    private func flush(beforeScheduledFlush: Bool = false) {
        writer.value.flushOutbound(beforeScheduledFlush: beforeScheduledFlush)
    }

    /// Starts closing: pending calls fail with `ConnectionForcedCloseError` at once, channels are closed.
    public func close() {
        closeRequested.withLockedValue { $0 = true }
        var actions: [ConnectionStateMachine.Action] = []
        state.withLockedValue {
            $0.close(error: ConnectionForcedCloseError("connection closed by close()"), into: &actions)
        }
        for action in actions { action.run() }
        channel.close(promise: nil)
    }

    /// Returns once the socket is closed.
    public func waitClosed() async {
        try? await channel.closeFuture.get()
    }
}
