import NIOCore
import Testing

@testable import AsyncRedis

/// The small state machines a connection's state is made of, each on its own, without a server.
@Suite("The parts of ConnectionStateMachine")
struct ConnectionPartsTests {
    private typealias Action = ConnectionStateMachine.Action

    /// A reply nobody sent: what `outcome` resumes with when `body` gave no action.
    private static let noAction = RESPValue.simpleString(ByteBuffer(string: "no action"))

    /// Runs `body` with a continuation and the actions it returns, then returns what the continuation got
    /// (`noAction` when no action resumed it; a thrown error when `body` threw).
    private func outcome(
        _ body: (ConnectionStateMachine.ReplyContinuation) throws -> [Action]
    ) async -> Result<RESPValue, any Error> {
        do {
            return .success(
                try await withUnsafeThrowingContinuation { continuation in
                    do {
                        let actions = try body(continuation)
                        if actions.isEmpty { continuation.resume(returning: Self.noAction) }
                        for action in actions { action.run() }
                    } catch {
                        continuation.resume(throwing: error)
                    }
                })
        } catch {
            return .failure(error)
        }
    }

    private func pending(
        _ id: UInt64, _ continuation: ConnectionStateMachine.ReplyContinuation?,
        effect: ConnectionStateMachine.CommandEffect = .none
    ) -> ConnectionStateMachine.PendingCommand {
        CommandLimit.none.pending(id: id, continuation: continuation, effect: effect)
    }

    // MARK: OutboundQueue

    @Test("the outbound queue schedules one flush per batch and hands the bytes over once")
    func outboundSchedulesOneFlush() {
        var queue = OutboundQueue(allocator: ByteBufferAllocator())
        queue.buffer.writeString("a")
        #expect(queue.commandQueued(awaitingReplies: 1) == .scheduleFlush)
        queue.buffer.writeString("b")
        #expect(queue.commandQueued(awaitingReplies: 2) == .queued)
        #expect(queue.take(beforeScheduledFlush: false).map { String(buffer: $0) } == "ab")
        #expect(queue.take(beforeScheduledFlush: false) == nil)
        queue.buffer.writeString("c")
        #expect(queue.commandQueued(awaitingReplies: 1) == .scheduleFlush)
    }

    @Test("the outbound queue asks for an early write once earlyWriteMinimum commands wait, keeping the flush")
    func outboundEarlyWrite() {
        var queue = OutboundQueue(allocator: ByteBufferAllocator())
        let minimum = OutboundQueue.earlyWriteMinimum
        var decisions: [OutboundQueue.FlushDecision] = []
        for count in 1...minimum { decisions.append(queue.commandQueued(awaitingReplies: count)) }
        #expect(decisions.first == .scheduleFlush && decisions.last == .writeNowIfOnEventLoop)
        #expect(decisions.dropFirst().dropLast().allSatisfy { $0 == .queued })
        _ = queue.take(beforeScheduledFlush: true)
        // The scheduled flush is still pending: the next command does not ask for another.
        #expect(queue.commandQueued(awaitingReplies: minimum + 1) == .queued)
    }

    @Test("a written buffer handed back is the next outbound buffer; discard drops what was not written")
    func outboundRecyclesAndDiscards() {
        var queue = OutboundQueue(allocator: ByteBufferAllocator())
        queue.buffer.writeString("x")
        _ = queue.commandQueued(awaitingReplies: 1)
        var written = queue.take(beforeScheduledFlush: false)!
        written.clear()
        let capacity = written.capacity
        queue.recycle(written)
        queue.buffer.writeString("y")
        _ = queue.take(beforeScheduledFlush: false)
        #expect(queue.buffer.capacity == capacity && queue.buffer.readableBytes == 0)
        queue.buffer.writeString("lost")
        queue.discard()
        #expect(queue.take(beforeScheduledFlush: false) == nil)
    }

    // MARK: ReplyQueue

    @Test("the reply queue answers in order; an error reply becomes the ReplyError its code names")
    func replyQueueInOrder() async throws {
        var queue = ReplyQueue()
        let value = await outcome { continuation in
            queue.append(pending(1, continuation, effect: .select(db: 3)))
            var actions: [Action] = []
            let effect = try queue.complete(with: .simpleString(ByteBuffer(string: "OK")), into: &actions)
            guard case .select(db: 3)? = effect else { return [] }
            return actions
        }
        #expect(try value.get() == .simpleString(ByteBuffer(string: "OK")))
        let failure = await outcome { continuation in
            queue.append(pending(2, continuation, effect: .select(db: 4)))
            var actions: [Action] = []
            // A refused SELECT has no effect to apply.
            let effect = try queue.complete(with: .error(ByteBuffer(string: "READONLY no")), into: &actions)
            return effect == nil ? actions : []
        }
        #expect(throws: ReadOnlyError.self) { try failure.get() }
        #expect(queue.isEmpty)
        var actions: [Action] = []
        #expect(throws: ProtocolError.self) { _ = try queue.complete(with: .null, into: &actions) }
    }

    @Test("a pipeline's replies are collected into one array, whole or reply by reply")
    func replyQueueBatch() async throws {
        var queue = ReplyQueue()
        let byOne = await outcome { continuation in
            queue.append(pending(1, continuation, effect: .batch(count: 2)))
            var actions: [Action] = []
            _ = try queue.complete(with: .integer(1), into: &actions)
            #expect(actions.isEmpty && !queue.headIsUnansweredBatch(of: 1))
            _ = try queue.complete(with: .error(ByteBuffer(string: "ERR x")), into: &actions)
            return actions
        }
        #expect(try byOne.get() == .array([.integer(1), .error(ByteBuffer(string: "ERR x"))]))
        let whole = await outcome { continuation in
            queue.append(pending(2, continuation, effect: .batch(count: 2)))
            var read: [RESPValue] = [.integer(7), .integer(8)]
            guard queue.headIsUnansweredBatch(of: read.count) else { return [] }
            var actions: [Action] = []
            queue.completeWholeBatch(with: &read, into: &actions)
            #expect(read.isEmpty)
            return actions
        }
        #expect(try whole.get() == .array([.integer(7), .integer(8)]))
    }

    @Test("a cancelled caller's reply is read and dropped; overdue and failed commands fail their callers")
    func replyQueueCancelOverdueFail() async throws {
        var queue = ReplyQueue()
        let cancelled = await outcome { continuation in
            queue.append(pending(1, continuation))
            #expect(queue.hasAbandonedReplies == false)
            // The continuation handed back is the caller's: resumed by the actions, as the connection does.
            return queue.cancel(id: 1).map { [.resume($0, .failure(CancellationError()))] } ?? []
        }
        #expect(throws: CancellationError.self) { try cancelled.get() }
        #expect(queue.hasAbandonedReplies)
        var actions: [Action] = []
        _ = try queue.complete(with: .integer(1), into: &actions)
        #expect(actions.isEmpty && queue.isEmpty)

        let now = NIODeadline.now()
        let failed = await outcome { continuation in
            queue.append(
                CommandLimit.fromNextCheck(.seconds(1)).pending(id: 2, continuation: continuation, effect: .none))
            #expect(queue.firstOverdue(now: now) == nil)  // its deadline is fixed from now on
            #expect(queue.firstOverdue(now: now + .seconds(2))?.id == 2)
            var actions: [Action] = []
            queue.failAll(with: ConnectionClosedError("gone"), overdue: (2, TimeoutError("late")), into: &actions)
            return actions
        }
        #expect(throws: TimeoutError.self) { try failed.get() }
        #expect(queue.isEmpty)
    }

    // MARK: SubscriptionState

    @Test("confirmations register and remove subscriptions; messages go to the channel subscribed under their name")
    func subscriptionStateRoutes() async throws {
        var state = SubscriptionState()
        var actions: [Action] = []
        let offered = PubSubChannel(name: "news")
        state.confirm(kind: .subscribe, name: "news", offered: offered, solicited: true, into: &actions)
        state.confirm(kind: .psubscribe, name: "n*", offered: nil, solicited: true, into: &actions)
        #expect(actions.isEmpty && state.subscriptions.count == 2 && state.subscriptions[.channel, "news"] === offered)
        #expect(state.isInRESP2PubSubMode && state.isReadingRESP2PubSub(headIsPubSub: false))
        state.deliver(.message(channel: "news", payload: ByteBuffer(string: "1")), into: &actions)
        state.deliver(.message(channel: "other", payload: ByteBuffer(string: "2")), into: &actions)
        for action in actions { action.run() }
        actions.removeAll()
        #expect(try await offered.get()?.string() == "1")
        #expect(state.confirmationsExpected(.unsubscribe, 0) == 1 && state.confirmationsExpected(.subscribe, 2) == 2)
        state.confirm(kind: .unsubscribe, name: "news", offered: nil, solicited: true, into: &actions)
        for action in actions { action.run() }
        #expect(try await offered.get() == nil)
        state.isRESP3 = true
        #expect(!state.isInRESP2PubSubMode && !state.isReadingRESP2PubSub(headIsPubSub: true))
    }

    @Test("on loss channels close with the cause, unless they outlive the connection")
    func subscriptionStateLoss() async throws {
        var state = SubscriptionState()
        var actions: [Action] = []
        state.confirm(kind: .subscribe, name: "a", offered: nil, solicited: true, into: &actions)
        let channel = try #require(state.subscriptions[.channel, "a"])
        state.close(error: ConnectionClosedError("lost"), into: &actions)
        for action in actions { action.run() }
        await #expect(throws: ChannelClosedError.self) { _ = try await channel.get() }
        #expect(state.subscriptions.isEmpty && !state.isInRESP2PubSubMode)

        var kept = SubscriptionState()
        kept.closesChannelsOnLoss = false
        actions.removeAll()
        kept.confirm(kind: .subscribe, name: "b", offered: nil, solicited: true, into: &actions)
        let keptChannel = try #require(kept.subscriptions[.channel, "b"])
        kept.close(error: ConnectionClosedError("lost"), into: &actions)
        #expect(actions.isEmpty && keptChannel.isActive)
    }

    // MARK: TransactionTracking

    @Test("MULTI, WATCH and their ends are tracked as written")
    func transactionTracking() {
        var tracking = TransactionTracking()
        tracking.written(.watch)
        tracking.written(.multi)
        #expect(tracking.inTransaction && tracking.isWatching)
        tracking.written(.other)
        #expect(tracking.inTransaction)
        tracking.written(.exec)
        #expect(!tracking.inTransaction && !tracking.isWatching)
        tracking.written(.watch)
        tracking.written(.unwatch)
        #expect(!tracking.isWatching)
    }
}
