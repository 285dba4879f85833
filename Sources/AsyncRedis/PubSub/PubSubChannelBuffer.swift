import NIOConcurrencyHelpers

/// The messages of one `PubSubChannel` not made by a `Receiver`: its sink, read by its `get`.
///
/// It owns the stream's end too (unsubscribed, or failed by a loss or an overflow), under the same lock as the
/// messages, so that a consumer never misses a message that arrived just before the end.
final class PubSubChannelBuffer: PubSubSink {
    private enum Lifecycle {
        case active
        /// Unsubscribed: queued messages are still delivered, then `get` answers `nil`.
        case unsubscribed
        /// Closed by an error (connection lost, overflow): queued messages, then the error.
        case failed(ChannelClosedError)
    }

    private struct State {
        var lifecycle: Lifecycle = .active
        var queue: PubSubQueue<PubSubMessage>

        init(limit: PubSubBacklogLimit) {
            queue = PubSubQueue(limit: limit) { $0 }
        }

        var isSettled: Bool {
            if !queue.isEmpty { return true }
            if case .active = lifecycle { return false }
            return true
        }
    }

    private let state: NIOLockedValueBox<State>

    init(limit: PubSubBacklogLimit) {
        state = NIOLockedValueBox(State(limit: limit))
    }

    /// True while subscribed or while messages are waiting to be read.
    var isActive: Bool {
        state.withLockedValue { state in
            if case .active = state.lifecycle { return true }
            return !state.queue.isEmpty
        }
    }

    var count: Int { state.withLockedValue { $0.queue.count } }
    var bytes: Int { state.withLockedValue { $0.queue.bytes } }

    func put(_ message: PubSubMessage, from channel: PubSubChannel) -> [PubSubChannel] {
        let (toWake, overflowed) = state.withLockedValue { state -> ([CheckedContinuation<Void, Never>], Bool) in
            guard case .active = state.lifecycle else { return ([], false) }
            guard state.queue.append(message) else {
                state.lifecycle = .failed(state.queue.overflowError("channel \(channel.name)"))
                return (state.queue.waiters.takeAll(), true)
            }
            return (state.queue.waiters.takeFirst(), false)
        }
        for waiter in toWake { waiter.resume() }
        return overflowed ? [channel] : []
    }

    func channelClosed(_ channel: PubSubChannel, error: (any Error)?) {
        let toWake = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            // After an overflow the stream already ends with its error.
            guard case .active = state.lifecycle else { return [] }
            if let error {
                state.lifecycle = .failed(
                    error as? ChannelClosedError
                        ?? ChannelClosedError("channel \(channel.name) closed: \(error)", cause: error))
            } else {
                state.lifecycle = .unsubscribed
            }
            return state.queue.waiters.takeAll()
        }
        for waiter in toWake { waiter.resume() }
    }

    /// The next message; `nil` once unsubscribed and drained; throws the error that ended the stream.
    func get() async throws -> PubSubMessage? {
        try await PubSubConsumer.next(from: state, waiters: \.queue.waiters, isSettled: { $0.isSettled }) {
            state in
            if let message = state.queue.popFirst() { return .element(message) }
            switch state.lifecycle {
            case .active: return .wait
            case .unsubscribed: return .end
            // The error stays: every later `get` throws it too.
            case .failed(let error): return .failure(error)
            }
        }
    }

    /// Waits until a message is queued (true) or the stream has ended and is drained (false).
    func waitMessage() async -> Bool {
        await PubSubConsumer.waitMessage(from: state, waiters: \.queue.waiters) { state in
            if !state.queue.isEmpty { return true }
            if case .active = state.lifecycle { return nil }
            return false
        }
    }
}
