/// Pub/Sub (aioredis's pubsub mixin). On a pool, subscriptions live on its dedicated Pub/Sub connection while
/// `publish` and the other commands use the shared ones.
extension Redis {
    /// Subscribed channels, by name (aioredis `channels`).
    public var channels: [String: PubSubChannel] { connection.pubsubChannels }
    /// Subscribed patterns (aioredis `patterns`).
    public var patterns: [String: PubSubChannel] { connection.pubsubPatterns }
    /// Subscribed shard channels (SSUBSCRIBE).
    public var shardChannels: [String: PubSubChannel] { connection.pubsubShardChannels }
    /// The number of subscriptions, 0 when none (aioredis `in_pubsub`); on a pool, its Pub/Sub connection's.
    public var inPubSub: Int { connection.inPubSub }

    /// SUBSCRIBE to channels; returns their `PubSubChannel`s in the order given. A name already subscribed
    /// returns the channel registered for it, whose consumer keeps reading undisturbed.
    ///
    /// Redis `SUBSCRIBE`: Listen for messages published to the given channels
    /// - Since: Redis 2.0.0
    /// - Complexity: O(N) where N is the number of channels to subscribe to.
    @discardableResult
    public func subscribe(_ channels: String...) async throws -> [PubSubChannel] {
        try await subscribe(channels, kind: .subscribe)
    }

    /// Subscribes with channel objects of the caller's (from a `Receiver`, say); a name already subscribed keeps
    /// (and returns) the channel registered for it.
    @discardableResult
    public func subscribe(_ channels: [PubSubChannel]) async throws -> [PubSubChannel] {
        try await subscribe(channels, kind: .subscribe)
    }

    /// Subscribes to patterns and returns their `PubSubChannel`s.
    @discardableResult
    public func psubscribe(_ patterns: String...) async throws -> [PubSubChannel] {
        try await subscribe(patterns, kind: .psubscribe)
    }

    /// PSUBSCRIBE on the Pub/Sub connection; returns the patterns' channels.
    ///
    /// Redis `PSUBSCRIBE`: Listen for messages published to channels matching the given patterns
    /// - Since: Redis 2.0.0
    /// - Complexity: O(N) where N is the number of patterns the client is already subscribed to.
    @discardableResult
    public func psubscribe(_ patterns: [PubSubChannel]) async throws -> [PubSubChannel] {
        try await subscribe(patterns, kind: .psubscribe)
    }

    /// SSUBSCRIBE to shard channels (Redis 7): on a cluster, every name must hash to one slot.
    ///
    /// Redis `SSUBSCRIBE`: Listen for messages published to the given shard channels
    /// - Since: Redis 7.0.0
    /// - Complexity: O(N) where N is the number of shard channels to subscribe to.
    @discardableResult
    public func ssubscribe(_ channels: String...) async throws -> [PubSubChannel] {
        try await subscribe(channels, kind: .ssubscribe)
    }

    /// SUNSUBSCRIBE from shard channels.
    ///
    /// Redis `SUNSUBSCRIBE`: Stop listening for messages posted to the given shard channels
    /// - Since: Redis 7.0.0
    /// - Complexity: O(N) where N is the number of clients already subscribed to a shard channel.
    public func sunsubscribe(_ channels: String...) async throws {
        _ = try await connection.executePubSub("sunsubscribe", channels: channels)
    }

    /// SPUBLISH to a shard channel (Redis 7); returns how many subscribers received it.
    ///
    /// Redis `SPUBLISH`: Post a message to a shard channel
    /// - Since: Redis 7.0.0
    /// - Complexity: O(N) where N is the number of clients subscribed to the receiving shard channel.
    @discardableResult
    public func spublish(_ channel: String, _ message: some RedisArgument) async throws -> Int {
        try await connection.execute("SPUBLISH", channel, message, as: Int.self)
    }

    /// Sends the subscribe command, then answers the channels registered under the names given: the caller's
    /// own for new names, the existing ones for names already subscribed.
    private func subscribe(_ targets: [any PubSubTarget], kind: PubSubCommandKind) async throws -> [PubSubChannel] {
        _ = try await connection.executePubSub(kind.rawValue, channels: targets)
        let registered: [String: PubSubChannel]
        switch kind {
        case .psubscribe: registered = connection.pubsubPatterns
        case .ssubscribe: registered = connection.pubsubShardChannels
        default: registered = connection.pubsubChannels
        }
        return targets.map { target in
            if let channel = registered[target.pubSubName] ?? target as? PubSubChannel { return channel }
            // Unsubscribed by another task before this returned: a closed channel, so no reader waits forever.
            let ended = PubSubChannel(name: target.pubSubName, isPattern: kind.isPattern)
            ended.close()
            return ended
        }
    }

    /// UNSUBSCRIBE from channels; their streams end.
    ///
    /// Redis `UNSUBSCRIBE`: Stop listening for messages posted to the given channels
    /// - Since: Redis 2.0.0
    /// - Complexity: O(N) where N is the number of clients already subscribed to a channel.
    public func unsubscribe(_ channels: String...) async throws {
        _ = try await connection.executePubSub("unsubscribe", channels: channels)
    }

    /// PUNSUBSCRIBE from patterns; their streams end.
    ///
    /// Redis `PUNSUBSCRIBE`: Stop listening for messages posted to channels matching the given patterns
    /// - Since: Redis 2.0.0
    /// - Complexity: O(N+M) where N is the number of patterns the client is already subscribed and M is the number of
    ///   total patterns subscribed in the system (by any client).
    public func punsubscribe(_ patterns: String...) async throws {
        _ = try await connection.executePubSub("punsubscribe", channels: patterns)
    }

    /// PUBLISH a message; returns how many subscribers received it.
    ///
    /// Redis `PUBLISH`: Post a message to a channel
    /// - Since: Redis 2.0.0
    /// - Complexity: O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total
    ///   number of subscribed patterns (by any client).
    @discardableResult
    public func publish(_ channel: String, _ message: some RedisArgument) async throws -> Int {
        try await connection.execute("PUBLISH", channel, message, as: Int.self)
    }

    /// Publishes a `Encodable` value as JSON.
    @discardableResult
    public func publishJSON(_ channel: String, _ value: some Encodable) async throws -> Int {
        try await publish(channel, try JSONEncoder().encode(value))
    }

    /// PUBSUB CHANNELS: active channels, optionally matching a pattern.
    ///
    /// Redis `PUBSUB CHANNELS`: List active channels
    /// - Since: Redis 2.8.0
    /// - Complexity: O(N) where N is the number of active channels, and assuming constant time pattern matching
    ///   (relatively short channels and patterns)
    public func pubsubChannels(pattern: String? = nil) async throws -> [String] {
        let arguments: [any RedisArgument] = ["CHANNELS"] + (pattern.map { [$0] } ?? [])
        return try await connection.execute("PUBSUB", arguments: arguments, as: [String].self)
    }

    /// PUBSUB NUMSUB: subscriber counts per channel.
    ///
    /// Redis `PUBSUB NUMSUB`: Get the count of subscribers for channels
    /// - Since: Redis 2.8.0
    /// - Complexity: O(N) for the NUMSUB subcommand, where N is the number of requested channels
    public func pubsubNumsub(_ channels: String...) async throws -> [String: Int] {
        try await connection.execute("PUBSUB", arguments: ["NUMSUB"] + channels, as: [String: Int].self)
    }

    /// PUBSUB NUMPAT: the number of pattern subscriptions.
    ///
    /// Redis `PUBSUB NUMPAT`: Get the count of unique patterns pattern subscriptions
    /// - Since: Redis 2.8.0
    /// - Complexity: O(1)
    public func pubsubNumpat() async throws -> Int {
        try await connection.execute("PUBSUB", "NUMPAT", as: Int.self)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
