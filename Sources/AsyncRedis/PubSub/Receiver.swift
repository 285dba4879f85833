import DequeModule
import NIOConcurrencyHelpers

/// One stream of messages from many channels and patterns (aioredis `pubsub.Receiver`).
///
/// Make channels with `channel(_:)` and `pattern(_:)`, subscribe with them, then iterate the receiver:
/// each element tells which channel (or pattern) the message came through.
/// ```swift
/// let receiver = Receiver()
/// _ = try await connection.executePubSub("subscribe", receiver.channel("news"))
/// _ = try await connection.executePubSub("psubscribe", receiver.pattern("alerts:*"))
/// for try await (source, message) in receiver { ... }
/// ```
/// The stream ends after `stop()`, or once every channel is unsubscribed and the queue drained; it throws the
/// `ChannelClosedError` of a channel closed by an error (its connection was lost), after the queued messages.
public final class Receiver: AsyncSequence, Sendable {
    public typealias Element = (channel: PubSubChannel, message: PubSubMessage)

    private struct State {
        var queue: Deque<Element> = []
        var channels: [String: PubSubChannel] = [:]
        var patterns: [String: PubSubChannel] = [:]
        var waiters: [CheckedContinuation<Void, Never>] = []
        var stopped = false
        var failure: ChannelClosedError?
        /// True once a channel was made: before that, an empty receiver is not "finished".
        var everSubscribed = false
    }

    public let maxBuffered: Int
    private let state = NIOLockedValueBox(State())

    public init(maxBuffered: Int = PubSubChannel.defaultMaxBuffered) {
        self.maxBuffered = Swift.max(1, maxBuffered)
    }

    /// A channel whose messages go to this receiver.
    public func channel(_ name: String) -> PubSubChannel {
        make(name, isPattern: false)
    }

    /// A pattern whose messages go to this receiver.
    public func pattern(_ pattern: String) -> PubSubChannel {
        make(pattern, isPattern: true)
    }

    private func make(_ name: String, isPattern: Bool) -> PubSubChannel {
        let channel = PubSubChannel(name: name, isPattern: isPattern, receiver: self)
        state.withLockedValue { state in
            state.everSubscribed = true
            if isPattern { state.patterns[name] = channel } else { state.channels[name] = channel }
        }
        return channel
    }

    /// Channels still subscribed, by name.
    public var channels: [String: PubSubChannel] { state.withLockedValue { $0.channels } }
    /// Patterns still subscribed.
    public var patterns: [String: PubSubChannel] { state.withLockedValue { $0.patterns } }

    /// True while not stopped and a channel is subscribed or messages wait.
    public var isActive: Bool {
        state.withLockedValue { state in
            !state.stopped && (!state.queue.isEmpty || !state.channels.isEmpty || !state.patterns.isEmpty)
        }
    }

    /// Stops receiving: messages arriving from now on are ignored and the iteration ends.
    public func stop() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.stopped = true
            state.queue.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func put(_ message: PubSubMessage, from channel: PubSubChannel) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            guard !state.stopped else { return [] }
            guard state.queue.count < maxBuffered else {
                state.failure = ChannelClosedError(
                    "receiver closed: more than \(maxBuffered) messages were waiting",
                    cause: PubSubOverflowError("\(maxBuffered) messages buffered"))
                state.stopped = true
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            state.queue.append((channel, message))
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func channelClosed(_ channel: PubSubChannel, error: (any Error)?) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            if channel.isPattern {
                if state.patterns[channel.name] === channel { state.patterns[channel.name] = nil }
            } else if state.channels[channel.name] === channel {
                state.channels[channel.name] = nil
            }
            if let error, state.failure == nil {
                state.failure =
                    error as? ChannelClosedError ?? ChannelClosedError("channel \(channel.name) closed", cause: error)
            }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The next message and where it came from; `nil` when the stream has ended.
    public func get() async throws -> Element? {
        while true {
            enum Outcome {
                case element(Element)
                case end
                case failure(ChannelClosedError)
                case wait
            }
            let outcome: Outcome = state.withLockedValue { state in
                if let element = state.queue.popFirst() { return .element(element) }
                if let failure = state.failure {
                    state.failure = nil
                    state.stopped = true
                    return .failure(failure)
                }
                if state.stopped { return .end }
                if state.everSubscribed && state.channels.isEmpty && state.patterns.isEmpty { return .end }
                return .wait
            }
            switch outcome {
            case .element(let element): return element
            case .end: return nil
            case .failure(let error): throw error
            case .wait:
                try Task.checkCancellation()
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLockedValue { state -> Bool in
                            if !state.queue.isEmpty || state.stopped || state.failure != nil || Task.isCancelled {
                                return true
                            }
                            if state.everSubscribed && state.channels.isEmpty && state.patterns.isEmpty { return true }
                            state.waiters.append(continuation)
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    // Waking every waiter is harmless: each re-checks and waits again if nothing changed.
                    let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
                        defer { state.waiters.removeAll() }
                        return state.waiters
                    }
                    for waiter in waiters { waiter.resume() }
                }
            }
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let receiver: Receiver

        public mutating func next() async throws -> Element? {
            try await receiver.get()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(receiver: self)
    }
}
