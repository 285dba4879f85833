import NIOConcurrencyHelpers
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A name to subscribe to: a `String` or a `PubSubChannel`.
public protocol PubSubTarget: Sendable {
    /// The name sent to the server.
    var pubSubName: String { get }
}

extension String: PubSubTarget {
    /// The string itself.
    public var pubSubName: String { self }
}

/// The messages of one subscribed channel or pattern (aioredis `Channel`, interface `AbcChannel`).
///
/// Messages are queued as they arrive, up to `maxBuffered` messages and `maxBufferedBytes` bytes. A consumer
/// slower than the publishers for that long does not lose messages silently: the channel is closed with a
/// `ChannelClosedError` whose cause is `PubSubOverflowError`, which the next `get` throws once the queued messages
/// are consumed, and the connection unsubscribes it so that the server stops sending its messages.
public final class PubSubChannel: PubSubTarget, AsyncSequence, Sendable, CustomStringConvertible {
    /// A message.
    public typealias Element = PubSubMessage

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
        /// Set by the connection that subscribed this channel: unsubscribes it after an overflow.
        var unsubscribe: (@Sendable () -> Void)?

        init(limit: PubSubBacklogLimit) {
            queue = PubSubQueue(limit: limit) { $0 }
        }

        var isSettled: Bool {
            if !queue.isEmpty { return true }
            if case .active = lifecycle { return false }
            return true
        }
    }

    /// Channel name or pattern.
    public let name: String
    /// True for a PSUBSCRIBE pattern.
    public let isPattern: Bool
    /// The most messages kept waiting for the consumer.
    public let maxBuffered: Int
    /// The most bytes (payloads and names, plus 64 per message) kept waiting for the consumer.
    public let maxBufferedBytes: Int
    private let state: NIOLockedValueBox<State>
    /// Set for channels made by a `Receiver`: their messages go to its single stream instead.
    let receiver: Receiver?

    /// The messages a channel queues by default before it overflows.
    public static let defaultMaxBuffered = 1_000_000
    /// 64 MiB.
    public static let defaultMaxBufferedBytes = 64 * 1024 * 1024

    /// A channel for `name` with its queue bounds; usually made by `executePubSub`.
    public init(
        name: String, isPattern: Bool = false, maxBuffered: Int = PubSubChannel.defaultMaxBuffered,
        maxBufferedBytes: Int = PubSubChannel.defaultMaxBufferedBytes
    ) {
        self.name = name
        self.isPattern = isPattern
        let limit = PubSubBacklogLimit(maxMessages: maxBuffered, maxBytes: maxBufferedBytes)
        self.maxBuffered = limit.maxMessages
        self.maxBufferedBytes = limit.maxBytes
        self.state = NIOLockedValueBox(State(limit: limit))
        self.receiver = nil
    }

    init(name: String, isPattern: Bool, receiver: Receiver) {
        self.name = name
        self.isPattern = isPattern
        let limit = PubSubBacklogLimit(maxMessages: receiver.maxBuffered, maxBytes: receiver.maxBufferedBytes)
        self.maxBuffered = limit.maxMessages
        self.maxBufferedBytes = limit.maxBytes
        self.state = NIOLockedValueBox(State(limit: limit))
        self.receiver = receiver
    }

    /// Called by the connection that subscribed the channel, with how to unsubscribe it there.
    func unsubscribesOnOverflow(_ unsubscribe: @escaping @Sendable () -> Void) {
        state.withLockedValue { $0.unsubscribe = unsubscribe }
    }

    /// The channel name or pattern.
    public var pubSubName: String { name }

    /// `PubSubChannel(name)` or `PubSubChannel(pattern name)`.
    public var description: String { "PubSubChannel(\(isPattern ? "pattern " : "")\(name))" }

    /// True while subscribed or while messages are waiting to be read.
    public var isActive: Bool {
        state.withLockedValue { state in
            if case .active = state.lifecycle { return true }
            return !state.queue.isEmpty
        }
    }

    /// Messages queued and not yet read.
    public var bufferedCount: Int { state.withLockedValue { $0.queue.count } }
    /// The footprint of the messages queued and not yet read, as counted against `maxBufferedBytes`.
    public var bufferedBytes: Int { state.withLockedValue { $0.queue.bytes } }

    /// Queues a message (called by the connection; aioredis `put_nowait`). Ignored once the channel is closed.
    public func putNoWait(_ message: PubSubMessage) {
        if let receiver {
            for channel in receiver.put(message, from: self) { channel.unsubscribeAfterOverflow() }
            return
        }
        let (toWake, unsubscribe) = state.withLockedValue {
            state -> ([CheckedContinuation<Void, Never>], (@Sendable () -> Void)?) in
            guard case .active = state.lifecycle else { return ([], nil) }
            guard state.queue.append(message) else {
                state.lifecycle = .failed(state.queue.overflowError("channel \(name)"))
                return (state.queue.waiters.takeAll(), state.unsubscribe)
            }
            return (state.queue.waiters.takeFirst(), nil)
        }
        for waiter in toWake { waiter.resume() }
        unsubscribe?()
    }

    /// Asks the connection to unsubscribe this channel, once (a receiver's channels share its overflow).
    func unsubscribeAfterOverflow() {
        let unsubscribe = state.withLockedValue { state -> (@Sendable () -> Void)? in
            defer { state.unsubscribe = nil }
            return state.unsubscribe
        }
        unsubscribe?()
    }

    /// Marks the channel closed: no more messages will be queued. With an error, readers get it once the
    /// queued messages are read; without, they get `nil` (the aioredis `close(exc=None)`).
    public func close(error: (any Error)? = nil) {
        let toWake = state.withLockedValue { state -> [CheckedContinuation<Void, Never>]? in
            guard case .active = state.lifecycle else { return nil }
            // A closed channel never asks its connection for anything again; letting go of the request lets go
            // of the connection too.
            state.unsubscribe = nil
            if let error {
                state.lifecycle = .failed(
                    error as? ChannelClosedError ?? ChannelClosedError("channel \(name) closed: \(error)", cause: error))
            } else {
                state.lifecycle = .unsubscribed
            }
            return state.queue.waiters.takeAll()
        }
        guard let toWake else { return }
        for waiter in toWake { waiter.resume() }
        receiver?.checkStop(self, error: error)
    }

    /// Waits for the next message; `nil` once unsubscribed and drained.
    /// - Throws: `ChannelClosedError` when the channel was closed by an error and is drained.
    public func get() async throws -> PubSubMessage? {
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

    /// The next message's payload decoded as text (aioredis `get(encoding=)`).
    public func get(as type: String.Type, encoding: RedisEncoding = .utf8) async throws -> String? {
        guard let message = try await get() else { return nil }
        guard let text = message.string(encoding: encoding) else {
            throw UnexpectedReplyError("message on \(message.channel) is not valid \(encoding.rawValue)")
        }
        return text
    }

    /// The next message's payload passed through `decoder` (aioredis `get(decoder=)`).
    public func get<T>(decoder: (ByteBuffer) throws -> T) async throws -> T? {
        guard let message = try await get() else { return nil }
        return try decoder(message.payload)
    }

    /// The next message's payload decoded from JSON (aioredis `get_json`).
    public func getJSON<T: Decodable>(as type: T.Type = T.self) async throws -> T? {
        try await get { buffer in try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView)) }
    }

    /// Waits until a message is queued (true) or the channel is closed and drained (false).
    public func waitMessage() async -> Bool {
        await PubSubConsumer.waitMessage(from: state, waiters: \.queue.waiters) { state in
            if !state.queue.isEmpty { return true }
            if case .active = state.lifecycle { return nil }
            return false
        }
    }

    /// Iterates a channel's messages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let channel: PubSubChannel

        /// The next message; nil once unsubscribed and drained; throws the error that closed the channel.
        public mutating func next() async throws -> PubSubMessage? {
            try await channel.get()
        }
    }

    /// Messages until the channel is unsubscribed (the sequence ends) or closed by an error (it throws).
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(channel: self)
    }
}
