import NIOConcurrencyHelpers

/// Tasks suspended until a Pub/Sub queue changes (a message, a close, a stop), kept in the queue's locked state.
/// Each waiter has an id so that a cancelled one can be found and resumed alone.
struct ChangeWaiters {
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextID: UInt64 = 0

    /// Removes and returns every waiter, to be resumed outside the lock.
    mutating func takeAll() -> [CheckedContinuation<Void, Never>] {
        defer { waiters.removeAll() }
        return waiters.map(\.continuation)
    }

    /// Removes and returns the oldest waiter.
    mutating func takeFirst() -> [CheckedContinuation<Void, Never>] {
        guard !waiters.isEmpty else { return [] }
        return [waiters.removeFirst().continuation]
    }

    /// Suspends until woken, or until the task is cancelled; returns at once when `isSettled` holds, checked under
    /// the lock so that no wake-up can be missed between the check and the wait.
    static func wait<State: Sendable>(
        in box: NIOLockedValueBox<State>, _ waiters: WritableKeyPath<State, ChangeWaiters> & Sendable,
        unless isSettled: @escaping @Sendable (State) -> Bool
    ) async {
        let id = box.withLockedValue { state -> UInt64 in
            state[keyPath: waiters].nextID += 1
            return state[keyPath: waiters].nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = box.withLockedValue { state -> Bool in
                    if isSettled(state) || Task.isCancelled { return true }
                    state[keyPath: waiters].waiters.append((id, continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = box.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                guard let index = state[keyPath: waiters].waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state[keyPath: waiters].waiters.remove(at: index).continuation
            }
            waiter?.resume()
        }
    }
}
