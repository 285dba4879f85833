import DequeModule
import NIOCore

/// The commands written and awaiting replies, in the order they were written: the inbound half of a connection's
/// state. Replies match them in that order; an explicit pipeline's replies are collected into one array.
struct ReplyQueue {
    typealias PendingCommand = ConnectionStateMachine.PendingCommand
    typealias Action = ConnectionStateMachine.Action

    private var pending: Deque<PendingCommand> = []
    /// Replies collected so far for the batch at the head (only the head can be collecting). Kept outside the
    /// queue so appending never copies the array.
    private var headBatchReplies: [RESPValue] = []
    /// At most this many commands at the end of the queue were added since the last liveness check, and may still
    /// have their deadline to fix (`CommandLimit.fromNextCheck`). Over-counting is harmless.
    private var addedSinceLastCheck = 0

    var count: Int { pending.count }
    var isEmpty: Bool { pending.isEmpty }
    /// The Pub/Sub request of the oldest command, when it is a Pub/Sub command.
    var headPubSubRequest: ConnectionStateMachine.PubSubRequest? {
        guard !pending.isEmpty, case .pubsub(let request) = pending[pending.startIndex].effect else { return nil }
        return request
    }

    /// True when the oldest command is a Pub/Sub command (read in place: no copy of its request).
    var headIsPubSub: Bool {
        guard !pending.isEmpty, case .pubsub = pending[pending.startIndex].effect else { return false }
        return true
    }

    /// True when the oldest command is a pipeline of `count` commands none of whose replies has come yet.
    func headIsUnansweredBatch(of count: Int) -> Bool {
        guard !pending.isEmpty, case .batch(let expected) = pending[pending.startIndex].effect else { return false }
        return expected == count && headBatchReplies.isEmpty
    }

    /// True when a reply is still owed to a caller that was cancelled (a blocking command, say).
    var hasAbandonedReplies: Bool {
        pending.contains { $0.continuation == nil && $0.id != ConnectionStateMachine.healthCheckID }
    }

    mutating func append(_ command: PendingCommand) {
        pending.append(command)
        addedSinceLastCheck += 1
    }

    /// The caller was cancelled: its continuation is handed back to be resumed, and its reply will be dropped.
    mutating func cancel(id: UInt64) -> ConnectionStateMachine.ReplyContinuation? {
        guard let index = pending.firstIndex(where: { $0.id == id }) else { return nil }
        let continuation = pending[index].continuation
        pending[index].continuation = nil
        return continuation
    }

    /// Answers the pipeline at the head with `replies`, all of its replies (`headIsUnansweredBatch`), handing the
    /// array over whole instead of reply by reply.
    mutating func completeWholeBatch(with replies: inout [RESPValue], into actions: inout [Action]) {
        let count = replies.count
        let finished = pending.removeFirst()
        var whole: [RESPValue] = []
        swap(&whole, &replies)
        // The reader's array left with the replies: the next one gets room for as many, in one allocation, rather
        // than growing by doubling.
        replies.reserveCapacity(count)
        if let continuation = finished.continuation {
            actions.append(.resume(continuation, .success(.array(whole))))
        }
    }

    /// Answers the oldest command with `value` (an error reply becomes a `ReplyError`: `ReplyError.result(of:)`),
    /// or adds it to the head pipeline's replies. Returns the effect of a command answered with success, for the
    /// caller to apply; `nil` otherwise.
    mutating func complete(with value: consuming RESPValue, into actions: inout [Action]) throws
        -> ConnectionStateMachine.CommandEffect?
    {
        guard !pending.isEmpty else {
            throw ProtocolError("received a reply while no command was waiting for one: \(value.preview)")
        }
        if case .batch(let count) = pending[pending.startIndex].effect {
            if headBatchReplies.isEmpty { headBatchReplies.reserveCapacity(count) }
            headBatchReplies.append(value)
            guard headBatchReplies.count == count else { return nil }
            let finished = pending.removeFirst()
            let replies = headBatchReplies
            headBatchReplies = []
            if let continuation = finished.continuation {
                actions.append(.resume(continuation, .success(.array(replies))))
            }
            return nil
        }
        let command = pending.removeFirst()
        let result: Result<RESPValue, any Error>
        switch ReplyError.result(of: value) {
        case .success(let reply): result = .success(reply)
        case .failure(let error): result = .failure(error)
        }
        if let continuation = command.continuation { actions.append(.resume(continuation, result)) }
        guard case .success = result else { return nil }
        return command.effect
    }

    /// Replaces the head command's effect (a Pub/Sub command collecting its confirmations).
    mutating func updateHeadEffect(_ effect: ConnectionStateMachine.CommandEffect) {
        pending[pending.startIndex].effect = effect
    }

    /// Removes the head command and resumes its caller with `result`.
    mutating func completeHead(with result: Result<RESPValue, any Error>, into actions: inout [Action]) {
        let command = pending.removeFirst()
        if let continuation = command.continuation { actions.append(.resume(continuation, result)) }
    }

    /// Gives the commands added since the last check their deadline, counted from `now` (they were sent at or
    /// before it, so their limit cannot end early), and returns the first overdue command's id and limit.
    mutating func firstOverdue(now: NIODeadline) -> (id: UInt64, timeout: TimeAmount)? {
        for index in max(pending.count - addedSinceLastCheck, 0)..<pending.count
        where pending[index].deadline == .distantFuture && pending[index].timeout > .zero {
            pending[index].deadline = now + pending[index].timeout
        }
        addedSinceLastCheck = 0
        // Replies come in order, so any overdue command means the server stopped answering this connection; it
        // need not be the head (a per-call limit can be shorter than an earlier command's).
        return pending.first(where: { $0.deadline <= now }).map { ($0.id, $0.timeout) }
    }

    /// Fails every command with `error` (the one with id `overdue.id` with `overdue.error`) and empties the queue.
    mutating func failAll(with error: any Error, overdue: (id: UInt64, error: any Error)?, into actions: inout [Action])
    {
        for command in pending {
            if let continuation = command.continuation {
                let failure = command.id == overdue?.id ? overdue!.error : error
                actions.append(.resume(continuation, .failure(failure)))
            }
        }
        pending.removeAll()
        headBatchReplies = []
    }
}
