/// One confirmation of a Pub/Sub command, typed: `["subscribe", "news", 1]` is
/// `PubSubConfirmation(kind: .subscribe, name: "news", count: 1)`.
///
/// `executePubSub` returns the raw frames (the aioredis shape); `executePubSub(_:channels:as:)` and
/// `execute("SUBSCRIBE", ..., as: [PubSubConfirmation].self)` return these.
public struct PubSubConfirmation: RESPValueDecodable, Hashable {
    /// Which command the server confirmed.
    public var kind: PubSubCommandKind
    /// The channel or pattern confirmed; `nil` for an unsubscribe-all sent while nothing was subscribed.
    public var name: String?
    /// The connection's subscriptions after this one (for shard channels, its shard subscriptions).
    public var count: Int

    /// A confirmation from its parts.
    public init(kind: PubSubCommandKind, name: String?, count: Int) {
        self.kind = kind
        self.name = name
        self.count = Int(count)
    }

    /// Decodes `[kind, name, count]`.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        let items: [RESPValue]
        switch value {
        case .array(.some(let values)), .push(let values): items = values
        default: throw Self.mismatch(value)
        }
        guard items.count == 3, let kindName = items[0].string(encoding: encoding),
            let kind = PubSubCommandKind(command: kindName), case .integer(let count) = items[2]
        else { throw Self.mismatch(value) }
        self.kind = kind
        self.name = items[1].bytes == nil ? nil : try String(fromRESP: items[1], encoding: encoding)
        self.count = Int(count)
    }
}

extension RedisConnectionProtocol {
    /// `executePubSub` with typed confirmations.
    public func executePubSub(
        _ command: String, channels: [any PubSubTarget], as type: [PubSubConfirmation].Type
    ) async throws -> [PubSubConfirmation] {
        let encoding = self.encoding ?? .utf8
        return try await executePubSub(command, channels: channels).map {
            try PubSubConfirmation(fromRESP: $0, encoding: encoding)
        }
    }
}
