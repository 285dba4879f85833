import NIOConcurrencyHelpers

/// The reply a command queued on a `Pipeline` or `MultiExec` will have once the batch has been executed
/// (aioredis returns a future for each command queued on `pipeline()` / `multi_exec()`).
public struct RedisPendingReply<Value: Sendable>: Sendable {
    private let resolve: @Sendable () async throws -> Value

    init(_ resolve: @escaping @Sendable () async throws -> Value) {
        self.resolve = resolve
    }

    init(failing error: any Error) {
        self.resolve = { throw error }
    }

    /// The command's reply, decoded as its `Redis` method decodes it. Waits until `execute()` has run; throws the
    /// command's own error (e.g. `ReplyError`), or the batch's (`WatchVariableError`, `ConnectionClosedError`, ...).
    /// A batch dropped without `execute()` answers `InvalidArgumentError`.
    public var value: Value {
        get async throws { try await resolve() }
    }
}

/// One queued command's raw reply, fulfilled once by the batch and awaited by any number of callers.
final class ReplyPromise: Sendable {
    private enum State {
        case waiting([CheckedContinuation<RESPValue, any Error>])
        case fulfilled(Result<RESPValue, any Error>)
    }

    private let state = NIOLockedValueBox(State.waiting([]))

    var value: RESPValue {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<RESPValue, any Error>? = state.withLockedValue { state in
                    switch state {
                    case .fulfilled(let result):
                        return result
                    case .waiting(var waiters):
                        waiters.append(continuation)
                        state = .waiting(waiters)
                        return nil
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    /// Sets the result; later calls are ignored (the first outcome of a command is the one that counts).
    func fulfill(_ result: Result<RESPValue, any Error>) {
        let waiters: [CheckedContinuation<RESPValue, any Error>] = state.withLockedValue { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .fulfilled(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
