import NIOConcurrencyHelpers
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
/// The stream ends after `stop()` once the messages already queued are read, or once every channel is
/// unsubscribed and the queue drained; it throws the `ChannelClosedError` of a channel closed by an error (its
/// connection was lost), after the queued messages.
public final class Receiver: AsyncSequence, Sendable, PubSubSink {
    /// A message with the channel or pattern that delivered it.
    public typealias Element = (channel: PubSubChannel, message: PubSubMessage)
    /// Called when one of the receiver's channels closes, unsubscribed (`nil`) or lost (the error), or is detached
    /// by `checkStop`.
    public typealias CloseHandler = @Sendable (_ channel: PubSubChannel, _ error: (any Error)?) -> Void

    private struct State {
        var queue: PubSubQueue<Element>
        /// The receiver's channels still open: its sources, not a record of what a server confirmed.
        var sources = SubscriptionTable()
        var stopped = false
        var failure: ChannelClosedError?
        /// True once a channel was made: before that, an empty receiver is not "finished".
        var everSubscribed = false

        /// True when no message can come any more: stopped, failed, or every channel gone.
        var hasEnded: Bool {
            stopped || failure != nil || (everSubscribed && sources.isEmpty)
        }

        /// A message to take, or the end to report.
        var isSettledForConsumer: Bool { !queue.isEmpty || hasEnded }

        init(limit: PubSubBacklogLimit) {
            queue = PubSubQueue(limit: limit) { $0.message }
        }
    }

    /// The most messages kept waiting for the consumer; one more closes the stream with `PubSubOverflowError`
    /// and unsubscribes every channel of the receiver.
    public let maxBuffered: Int
    /// The most bytes (payloads and names, plus 64 per message) kept waiting, likewise.
    public let maxBufferedBytes: Int
    private let onClose: CloseHandler?
    private let state: NIOLockedValueBox<State>

    /// - Parameters:
    ///   - maxBuffered: the most messages kept waiting for the consumer (`maxBuffered` above).
    ///   - maxBufferedBytes: the most bytes kept waiting (`maxBufferedBytes` above).
    ///   - onClose: called (outside any lock) whenever one of this receiver's channels closes or is detached.
    public init(
        maxBuffered: Int = PubSubChannel.defaultMaxBuffered,
        maxBufferedBytes: Int = PubSubChannel.defaultMaxBufferedBytes, onClose: CloseHandler? = nil
    ) {
        let limit = PubSubBacklogLimit(maxMessages: maxBuffered, maxBytes: maxBufferedBytes)
        self.maxBuffered = limit.maxMessages
        self.maxBufferedBytes = limit.maxBytes
        self.state = NIOLockedValueBox(State(limit: limit))
        self.onClose = onClose
    }

    /// The channel whose messages go to this receiver; the same object for the same name while it is open.
    public func channel(_ name: String) -> PubSubChannel {
        make(name, isPattern: false)
    }

    /// The pattern whose messages go to this receiver; the same object for the same pattern while it is open.
    public func pattern(_ pattern: String) -> PubSubChannel {
        make(pattern, isPattern: true)
    }

    private func make(_ name: String, isPattern: Bool) -> PubSubChannel {
        state.withLockedValue { state in
            state.everSubscribed = true
            return state.sources.channel(SubscriptionFamily(isPattern: isPattern), named: name) {
                PubSubChannel(name: name, isPattern: isPattern, receiver: self)
            }.channel
        }
    }

    /// Channels still subscribed, by name.
    public var channels: [String: PubSubChannel] { state.withLockedValue { $0.sources.channels } }
    /// Patterns still subscribed.
    public var patterns: [String: PubSubChannel] { state.withLockedValue { $0.sources.patterns } }

    /// True while messages wait, or while not stopped and a channel is subscribed.
    public var isActive: Bool {
        state.withLockedValue { state in
            !state.queue.isEmpty
                || (!state.stopped && state.failure == nil && !state.sources.isEmpty)
        }
    }

    /// Stops receiving: messages arriving from now on are ignored; those already queued are still delivered,
    /// then the iteration ends.
    public func stop() {
        let waiters = state.withLockedValue { state in
            state.stopped = true
            return state.queue.waiters.takeAll()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Queues a message (the sink of the receiver's channels); returns every channel of the receiver when this
    /// message overflowed it, for their subscriptions to end.
    func put(_ message: PubSubMessage, from channel: PubSubChannel) -> [PubSubChannel] {
        let (waiters, overflowed) = state.withLockedValue {
            state -> ([CheckedContinuation<Void, Never>], [PubSubChannel]) in
            guard !state.stopped, state.failure == nil else { return ([], []) }
            guard state.queue.append((channel, message)) else {
                state.failure = state.queue.overflowError("receiver")
                return (state.queue.waiters.takeAll(), state.sources.all)
            }
            return (state.queue.waiters.takeAll(), [])
        }
        for waiter in waiters { waiter.resume() }
        return overflowed
    }

    /// Forgets a channel that closed (aioredis `check_stop`): with an error, the stream throws it after the queued
    /// messages; once no channel is left, the stream ends. Channels call it when they close; call it to detach one.
    public func checkStop(_ channel: PubSubChannel, error: (any Error)? = nil) {
        let (waiters, wasOurs) = state.withLockedValue { state -> ([CheckedContinuation<Void, Never>], Bool) in
            let wasOurs = state.sources.remove(channel, family: SubscriptionFamily(isPattern: channel.isPattern))
            if let error, state.failure == nil {
                state.failure =
                    error as? ChannelClosedError ?? ChannelClosedError("channel \(channel.name) closed", cause: error)
            }
            return (state.queue.waiters.takeAll(), wasOurs)
        }
        for waiter in waiters { waiter.resume() }
        if wasOurs { onClose?(channel, error) }
    }

    /// One of the receiver's channels closed (the sink's end of `PubSubChannel.close`).
    func channelClosed(_ channel: PubSubChannel, error: (any Error)?) {
        checkStop(channel, error: error)
    }

    /// The next message and where it came from; `nil` when the stream has ended.
    public func get() async throws -> Element? {
        try await PubSubConsumer.next(from: state, waiters: \.queue.waiters, isSettled: { $0.isSettledForConsumer }) {
            state in
            if let element = state.queue.popFirst() { return .element(element) }
            if let failure = state.failure {
                // Thrown once: the stream then ends.
                state.failure = nil
                state.stopped = true
                return .failure(failure)
            }
            return state.hasEnded ? .end : .wait
        }
    }

    /// The next message with its payload decoded as text (aioredis `get(encoding=)`).
    public func get(as type: String.Type, encoding: RedisEncoding = .utf8) async throws
        -> (channel: PubSubChannel, message: String)?
    {
        try await get { payload in
            guard let text = encoding.decode(payload) else {
                throw UnexpectedReplyError("message is not valid \(encoding.rawValue)")
            }
            return text
        }
    }

    /// The next message with its payload passed through `decoder` (aioredis `get(decoder=)`).
    public func get<T>(decoder: (ByteBuffer) throws -> T) async throws -> (channel: PubSubChannel, message: T)? {
        guard let (channel, message) = try await get() else { return nil }
        return (channel, try decoder(message.payload))
    }

    /// The next message with its payload decoded from JSON.
    public func getJSON<T: Decodable>(as type: T.Type = T.self) async throws -> (channel: PubSubChannel, message: T)? {
        try await get { payload in try JSONDecoder().decode(T.self, from: Data(payload.readableBytesView)) }
    }

    /// Waits until a message is queued (true) or the stream has ended (false) (aioredis `wait_message`).
    public func waitMessage() async -> Bool {
        await PubSubConsumer.waitMessage(from: state, waiters: \.queue.waiters) { state in
            if !state.queue.isEmpty { return true }
            return state.hasEnded ? false : nil
        }
    }

    /// Iterates a receiver's messages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let receiver: Receiver

        /// The next message; nil once stopped and drained.
        public mutating func next() async throws -> Element? {
            try await receiver.get()
        }
    }

    /// An iterator over every message of the receiver.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(receiver: self)
    }
}
