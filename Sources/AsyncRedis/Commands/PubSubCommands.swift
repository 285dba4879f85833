/// Pub/Sub (aioredis's pubsub mixin). On a pool, subscriptions live on its dedicated Pub/Sub connection while
/// `publish` and the other commands use the shared ones.
extension Redis {
    /// Subscribed channels, by name (aioredis `channels`).
    public var channels: [String: PubSubChannel] { connection.pubsubChannels }
    /// Subscribed patterns (aioredis `patterns`).
    public var patterns: [String: PubSubChannel] { connection.pubsubPatterns }

    /// Subscribes to channels and returns their `PubSubChannel`s in the order given.
    @discardableResult
    public func subscribe(_ channels: String...) async throws -> [PubSubChannel] {
        try await subscribe(channels.map { PubSubChannel(name: $0) })
    }

    /// Subscribes with channel objects of the caller's (from a `Receiver`, say).
    @discardableResult
    public func subscribe(_ channels: [PubSubChannel]) async throws -> [PubSubChannel] {
        _ = try await connection.executePubSub("subscribe", channels: channels)
        return channels
    }

    /// Subscribes to patterns and returns their `PubSubChannel`s.
    @discardableResult
    public func psubscribe(_ patterns: String...) async throws -> [PubSubChannel] {
        try await psubscribe(patterns.map { PubSubChannel(name: $0, isPattern: true) })
    }

    @discardableResult
    public func psubscribe(_ patterns: [PubSubChannel]) async throws -> [PubSubChannel] {
        _ = try await connection.executePubSub("psubscribe", channels: patterns)
        return patterns
    }

    public func unsubscribe(_ channels: String...) async throws {
        _ = try await connection.executePubSub("unsubscribe", channels: channels)
    }

    public func punsubscribe(_ patterns: String...) async throws {
        _ = try await connection.executePubSub("punsubscribe", channels: patterns)
    }

    /// Publishes a message; returns how many subscribers received it.
    @discardableResult
    public func publish(_ channel: String, _ message: some RedisArgument) async throws -> Int {
        try await connection.execute("PUBLISH", channel, message, as: Int.self)
    }

    /// Publishes a `Encodable` value as JSON.
    @discardableResult
    public func publishJSON(_ channel: String, _ value: some Encodable) async throws -> Int {
        try await publish(channel, try JSONEncoder().encode(value))
    }

    /// Active channels, optionally matching a pattern (PUBSUB CHANNELS).
    public func pubsubChannels(pattern: String? = nil) async throws -> [String] {
        let arguments: [any RedisArgument] = ["CHANNELS"] + (pattern.map { [$0] } ?? [])
        return try await connection.execute("PUBSUB", arguments: arguments, as: [String].self)
    }

    /// Subscriber counts per channel (PUBSUB NUMSUB).
    public func pubsubNumsub(_ channels: String...) async throws -> [String: Int] {
        try await connection.execute("PUBSUB", arguments: ["NUMSUB"] + channels, as: [String: Int].self)
    }

    /// The number of pattern subscriptions (PUBSUB NUMPAT).
    public func pubsubNumpat() async throws -> Int {
        try await connection.execute("PUBSUB", "NUMPAT", as: Int.self)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
