import NIOCore

/// One message received on a subscription.
public struct PubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    public var channel: String
    /// The pattern that matched, for pattern subscriptions; `nil` on plain channels.
    public var pattern: String?
    /// The message's bytes.
    public var payload: ByteBuffer
    /// `.message` for what was published; `.resubscribed` marks a gap: a resubscribing subscriber lost its
    /// connection, reconnected and subscribed again, and messages published meanwhile were missed.
    public var kind: Kind

    /// What a message is.
    public enum Kind: Sendable, Hashable {
        /// A message published to the channel.
        case message
        /// Not a message: the subscriber reconnected and subscribed again, so messages published meanwhile were
        /// missed.
        case resubscribed
    }

    /// A message from its parts.
    public init(channel: String, pattern: String? = nil, payload: ByteBuffer, kind: Kind = .message) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
        self.kind = kind
    }

    /// The payload as text, or `nil` if it is not valid in `encoding`.
    public func string(encoding: RedisEncoding = .utf8) -> String? {
        encoding.decode(payload)
    }
}
