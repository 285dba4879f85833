/// The bookkeeping of a `Pipeline` or `MultiExec` before it is sent: one slot per queued call, in the order the
/// calls were queued.
///
/// A call queued with `queue { redis in ... }` runs in a task of its own and sends its one command whenever that
/// task gets to it, so `execute()` first waits until every call has either recorded its command or finished
/// without one (it threw while checking its arguments, say). Only then is the batch complete and in order.
struct QueuedCommandsStateMachine {
    /// What one queued call has done so far.
    enum Slot {
        /// Queued; its task has not sent a command yet.
        case awaitingCommand
        /// The command to send.
        case command(QueuedCommand)
        /// The call finished without sending a command; its error is reported at its index.
        case noCommand(any Error)
    }

    enum Phase {
        case queueing
        /// `execute()` waits for the calls that have not recorded their command yet (its continuation is nil for
        /// the moment between deciding to wait and suspending).
        case waitingForCalls(CheckedContinuation<Void, Never>?)
        /// The batch was taken for sending; nothing more can be queued or recorded.
        case sent
    }

    private(set) var slots: [Slot] = []
    private var commandsAwaited = 0
    private(set) var phase: Phase = .queueing

    /// Adds a slot for a new call and returns its index, or nil once the batch has been sent.
    mutating func addSlot(_ slot: Slot = .awaitingCommand) -> Int? {
        guard case .queueing = phase else { return nil }
        slots.append(slot)
        if case .awaitingCommand = slot { commandsAwaited += 1 }
        return slots.count - 1
    }

    enum RecordResult {
        case recorded(resumeExecute: CheckedContinuation<Void, Never>?)
        case rejected(any Error)
    }

    /// A queued call sends its command.
    mutating func record(_ command: QueuedCommand, at index: Int) -> RecordResult {
        guard case .awaitingCommand = slots[index] else {
            return .rejected(
                InvalidArgumentError(
                    "a call queued on a pipeline or MULTI/EXEC sends exactly one command; "
                        + "\(command.name) came after the first"))
        }
        if case .sent = phase {
            return .rejected(InvalidArgumentError("\(command.name) came after its batch was executed or dropped"))
        }
        slots[index] = .command(command)
        return .recorded(resumeExecute: settleOne())
    }

    /// A queued call's task finished; if it never sent its command, `error` (or a "sent nothing" error) is what
    /// its slot reports.
    mutating func callFinished(at index: Int, error: (any Error)?) -> CheckedContinuation<Void, Never>? {
        guard case .awaitingCommand = slots[index], !isSent else { return nil }
        slots[index] = .noCommand(error ?? InvalidArgumentError("the queued call returned without sending a command"))
        return settleOne()
    }

    enum ExecuteAction {
        case send
        case waitForCalls
        case alreadySent
    }

    /// `execute()` was called: send at once when every call has recorded its command, else wait for them.
    mutating func execute() -> ExecuteAction {
        switch phase {
        case .sent, .waitingForCalls: return .alreadySent
        case .queueing:
            if commandsAwaited == 0 {
                phase = .sent
                return .send
            }
            phase = .waitingForCalls(nil)
            return .waitForCalls
        }
    }

    /// Called from inside the continuation closure after `execute()` answered `.waitForCalls`; returns the
    /// continuation when it is to be resumed at once (the calls finished meanwhile, or the batch was abandoned).
    mutating func waitForCalls(_ continuation: CheckedContinuation<Void, Never>) -> CheckedContinuation<Void, Never>? {
        guard case .waitingForCalls = phase, commandsAwaited > 0 else {
            phase = .sent
            return continuation
        }
        phase = .waitingForCalls(continuation)
        return nil
    }

    /// Ends queueing without waiting (the pipeline was discarded, or `execute()` was cancelled): slots that never
    /// recorded a command are closed, and a waiting `execute()` is handed back to be resumed.
    mutating func abandon() -> CheckedContinuation<Void, Never>? {
        var waiter: CheckedContinuation<Void, Never>?
        if case .waitingForCalls(let continuation) = phase { waiter = continuation }
        phase = .sent
        commandsAwaited = 0
        return waiter
    }

    private var isSent: Bool {
        if case .sent = phase { return true }
        return false
    }

    private mutating func settleOne() -> CheckedContinuation<Void, Never>? {
        commandsAwaited -= 1
        guard commandsAwaited == 0, case .waitingForCalls(let continuation) = phase else { return nil }
        phase = .sent
        return continuation  // nil if execute() has not suspended yet: it then finds nothing left to wait for
    }
}

/// One command of a pipeline or MULTI/EXEC block.
struct QueuedCommand: Sendable {
    let name: String
    let arguments: [any RedisArgument]
    /// The script an EVALSHA runs, when queued by `RedisScript.run`.
    var script: RedisScript? = nil
}
