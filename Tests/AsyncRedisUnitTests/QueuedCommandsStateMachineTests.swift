import Testing

@testable import AsyncRedis

/// The bookkeeping behind `Pipeline`/`MultiExec`, without a server: what `execute()` waits for, and what a late,
/// second or missing command gets.
@Suite("QueuedCommandsStateMachine")
struct QueuedCommandsStateMachineTests {
    private func command(_ name: String) -> QueuedCommand { QueuedCommand(name: name, arguments: []) }

    @Test("raw commands need no waiting; execute() sends at once, and only once")
    func rawCommandsSendAtOnce() {
        var machine = QueuedCommandsStateMachine()
        #expect(machine.addSlot(.command(command("PING"))) == 0)
        #expect(machine.addSlot(.command(command("ECHO"))) == 1)
        guard case .send = machine.execute() else { Issue.record("expected .send"); return }
        guard case .alreadySent = machine.execute() else { Issue.record("expected .alreadySent"); return }
        #expect(machine.addSlot(.command(command("LATE"))) == nil)
        #expect(machine.slots.count == 2)
    }

    @Test("execute() waits for queued calls; a second command of one call is rejected")
    func waitsForCalls() {
        var machine = QueuedCommandsStateMachine()
        let first = machine.addSlot()!
        let second = machine.addSlot()!
        guard case .waitForCalls = machine.execute() else { Issue.record("expected .waitForCalls"); return }
        // Once execute() has begun, nothing more is queued and a concurrent second execute() is refused.
        #expect(machine.addSlot() == nil)
        guard case .alreadySent = machine.execute() else { Issue.record("expected .alreadySent"); return }
        guard case .recorded(let resume) = machine.record(command("GET"), at: first) else {
            Issue.record("expected the first command to be recorded"); return
        }
        #expect(resume == nil)  // the other call is still due
        guard case .rejected(let error) = machine.record(command("GET"), at: first) else {
            Issue.record("expected a second command to be rejected"); return
        }
        #expect(error is InvalidArgumentError)
        // The second call throws before sending: its slot reports the error and the batch is complete.
        #expect(machine.callFinished(at: second, error: InvalidArgumentError("bad")) == nil)  // no waiter stored yet
        guard case .noCommand(let reported) = machine.slots[second] else {
            Issue.record("expected .noCommand"); return
        }
        #expect(reported is InvalidArgumentError)
    }

    @Test("a call that returns without sending, or after the batch was dropped, is reported, not awaited")
    func missingAndLateCommands() {
        var machine = QueuedCommandsStateMachine()
        let index = machine.addSlot()!
        #expect(machine.callFinished(at: index, error: nil) == nil)
        guard case .noCommand(let error) = machine.slots[index] else { Issue.record("expected .noCommand"); return }
        #expect(error is InvalidArgumentError)

        var dropped = QueuedCommandsStateMachine()
        let late = dropped.addSlot()!
        #expect(dropped.abandon() == nil)
        guard case .rejected = dropped.record(command("INCR"), at: late) else {
            Issue.record("a command after the batch was dropped must be rejected"); return
        }
        guard case .alreadySent = dropped.execute() else { Issue.record("expected .alreadySent"); return }
    }
}
