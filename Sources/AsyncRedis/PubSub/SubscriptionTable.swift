import NIOCore

/// The three families of subscriptions Redis keeps apart (a channel and a pattern may share a name).
enum SubscriptionFamily: Sendable {
    case channel, pattern, shardChannel

    init(_ kind: PubSubCommandKind) {
        switch kind {
        case .subscribe, .unsubscribe: self = .channel
        case .psubscribe, .punsubscribe: self = .pattern
        case .ssubscribe, .sunsubscribe: self = .shardChannel
        }
    }

    /// The family of a channel made without saying it is a shard channel.
    init(isPattern: Bool) {
        self = isPattern ? .pattern : .channel
    }
}

/// Channels by name, patterns by pattern and shard channels by name: the one registry shape of every holder of
/// subscriptions (a connection's confirmed ones, a receiver's open channels, what a resubscribing subscriber or a
/// cluster client subscribes again on its next connection), so the bookkeeping is written once.
struct SubscriptionTable: Sendable {
    private(set) var channels: [String: PubSubChannel] = [:]
    private(set) var patterns: [String: PubSubChannel] = [:]
    private(set) var shardChannels: [String: PubSubChannel] = [:]

    var count: Int { channels.count + patterns.count + shardChannels.count }
    var isEmpty: Bool { count == 0 }

    /// Every channel, pattern and shard channel.
    var all: [PubSubChannel] { Array(channels.values) + Array(patterns.values) + Array(shardChannels.values) }

    /// The subscriptions of one family.
    subscript(family: SubscriptionFamily) -> [String: PubSubChannel] {
        switch family {
        case .channel: return channels
        case .pattern: return patterns
        case .shardChannel: return shardChannels
        }
    }

    /// The subscription of one family under `name`; setting `nil` forgets it.
    subscript(family: SubscriptionFamily, name: String) -> PubSubChannel? {
        get { self[family][name] }
        set {
            switch family {
            case .channel: channels[name] = newValue
            case .pattern: patterns[name] = newValue
            case .shardChannel: shardChannels[name] = newValue
            }
        }
    }

    /// The channel registered under `name`, else the one `make` gives, registered (a name keeps its first channel:
    /// aioredis registers a channel only when its name is new). `isNew` says which.
    mutating func channel(
        _ family: SubscriptionFamily, named name: String, orAdd make: () -> PubSubChannel
    ) -> (channel: PubSubChannel, isNew: Bool) {
        if let existing = self[family, name] { return (existing, false) }
        let channel = make()
        self[family, name] = channel
        return (channel, true)
    }

    /// Forgets `channel` if it is the one registered under its name (not another of the same name); true if it was.
    mutating func remove(_ channel: PubSubChannel, family: SubscriptionFamily) -> Bool {
        guard self[family, channel.name] === channel else { return false }
        self[family, channel.name] = nil
        return true
    }

    /// Forgets every subscription, returning them.
    mutating func removeAll() -> [PubSubChannel] {
        defer { self = SubscriptionTable() }
        return all
    }
}

/// Subscribing a set of channels again on a new connection, shared by the resubscribing `RedisSubscriber` and the
/// Cluster client's plain subscriptions.
enum Resubscription {
    /// Subscribes `channels` (patterns among them) on `connection`, whose loss must leave them open.
    static func subscribe(_ channels: [PubSubChannel], on connection: RedisConnection) async throws {
        connection.keepChannelsOnLoss()
        let patterns = channels.filter(\.isPattern)
        let plain = channels.filter { !$0.isPattern }
        if !plain.isEmpty { _ = try await connection.executePubSub("subscribe", channels: plain) }
        if !patterns.isEmpty { _ = try await connection.executePubSub("psubscribe", channels: patterns) }
    }

    /// Queues a `.resubscribed` message on each channel: messages published during the gap were missed.
    static func announceGap(on channels: [PubSubChannel]) {
        for channel in channels {
            channel.putNoWait(
                PubSubMessage(
                    channel: channel.name, pattern: channel.isPattern ? channel.name : nil, payload: ByteBuffer(),
                    kind: .resubscribed))
        }
    }
}
