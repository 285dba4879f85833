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

    /// The subscription side: whether the channel is still open, and how its connection unsubscribes it.
    private struct Subscription {
        var isOpen = true
        /// Set by the connection that subscribed this channel: unsubscribes it after an overflow.
        var unsubscribe: (@Sendable () -> Void)?
    }

    /// Channel name or pattern.
    public let name: String
    /// True for a PSUBSCRIBE pattern.
    public let isPattern: Bool
    /// The most messages kept waiting for the consumer.
    public let maxBuffered: Int
    /// The most bytes (payloads and names, plus 64 per message) kept waiting for the consumer.
    public let maxBufferedBytes: Int
    private let subscription = NIOLockedValueBox(Subscription())
    /// Where every message and the channel's end go: `buffer`, or the `Receiver` that made the channel.
    let sink: any PubSubSink
    /// The channel's own messages, read by `get`; `nil` for a receiver's channel, read through the receiver.
    private let buffer: PubSubChannelBuffer?

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
        let buffer = PubSubChannelBuffer(limit: limit)
        self.buffer = buffer
        self.sink = buffer
    }

    init(name: String, isPattern: Bool, receiver: Receiver) {
        self.name = name
        self.isPattern = isPattern
        let limit = PubSubBacklogLimit(maxMessages: receiver.maxBuffered, maxBytes: receiver.maxBufferedBytes)
        self.maxBuffered = limit.maxMessages
        self.maxBufferedBytes = limit.maxBytes
        self.buffer = nil
        self.sink = receiver
    }

    /// Called by the connection that subscribed the channel, with how to unsubscribe it there.
    func unsubscribesOnOverflow(_ unsubscribe: @escaping @Sendable () -> Void) {
        subscription.withLockedValue { $0.unsubscribe = unsubscribe }
    }

    /// The channel name or pattern.
    public var pubSubName: String { name }

    /// `PubSubChannel(name)` or `PubSubChannel(pattern name)`.
    public var description: String { "PubSubChannel(\(isPattern ? "pattern " : "")\(name))" }

    /// True while subscribed or while messages are waiting to be read (for a receiver's channel: while subscribed).
    public var isActive: Bool {
        buffer?.isActive ?? subscription.withLockedValue { $0.isOpen }
    }

    /// Messages queued and not yet read (always 0 for a receiver's channel: its messages queue in the receiver).
    public var bufferedCount: Int { buffer?.count ?? 0 }
    /// The footprint of the messages queued and not yet read, as counted against `maxBufferedBytes`.
    public var bufferedBytes: Int { buffer?.bytes ?? 0 }

    /// Queues a message (called by the connection; aioredis `put_nowait`). Ignored once the channel is closed.
    public func putNoWait(_ message: PubSubMessage) {
        for channel in sink.put(message, from: self) { channel.unsubscribeAfterOverflow() }
    }

    /// Asks the connection to unsubscribe this channel, once (a receiver's channels share its overflow).
    func unsubscribeAfterOverflow() {
        let unsubscribe = subscription.withLockedValue { subscription -> (@Sendable () -> Void)? in
            defer { subscription.unsubscribe = nil }
            return subscription.unsubscribe
        }
        unsubscribe?()
    }

    /// Marks the channel closed: no more messages will be queued. With an error, readers get it once the
    /// queued messages are read; without, they get `nil` (the aioredis `close(exc=None)`).
    public func close(error: (any Error)? = nil) {
        let wasOpen = subscription.withLockedValue { subscription -> Bool in
            // A closed channel never asks its connection for anything again; letting go of the request lets go
            // of the connection too.
            defer { subscription = Subscription(isOpen: false, unsubscribe: nil) }
            return subscription.isOpen
        }
        if wasOpen { sink.channelClosed(self, error: error) }
    }

    /// Waits for the next message; `nil` once unsubscribed and drained.
    /// - Throws: `ChannelClosedError` when the channel was closed by an error and is drained.
    /// - Throws: `ChannelClosedError` when the channel was closed by an error and is drained;
    ///   `InvalidArgumentError` for a channel made by a `Receiver`, whose messages are read from the receiver
    ///   (aioredis refuses that too).
    public func get() async throws -> PubSubMessage? {
        guard let buffer else { throw Self.readThroughReceiver(self) }
        return try await buffer.get()
    }

    private static func readThroughReceiver(_ channel: PubSubChannel) -> InvalidArgumentError {
        InvalidArgumentError("\(channel) belongs to a Receiver: read its messages from the receiver")
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
    /// A receiver's channel answers false at once: its messages are waited for on the receiver.
    public func waitMessage() async -> Bool {
        await buffer?.waitMessage() ?? false
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
