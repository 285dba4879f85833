import Logging
import NIOConcurrencyHelpers
import NIOCore

/// A subscriber on a connection of its own that, in resubscribing mode, survives connection loss.
///
/// Beyond aioredis (whose subscriptions end with the connection): when the connection is lost, it reconnects with
/// exponential backoff and jitter, subscribes every channel and pattern again, and queues a message of kind
/// `.resubscribed` on each, so a consumer knows that messages published during the gap were missed. The same
/// `PubSubChannel` objects keep delivering. Without resubscribing, channels close with `ChannelClosedError`
/// carrying the cause, as on a plain connection.
public final class RedisSubscriber: Sendable {
    private struct State {
        var connection: RedisConnection
        /// What the subscriber was asked to subscribe: kept across connections (each connection's own registry ends
        /// with it), to be subscribed again on the next one.
        var wanted = SubscriptionTable()
        var isClosed = false
        var reconnections = 0
    }

    /// True when the subscriber reconnects and subscribes again after connection loss.
    public let resubscribes: Bool
    private let configuration: RedisConnectionConfiguration
    private let state: NIOLockedValueBox<State>
    private let instruments: SubscriberInstruments

    private init(configuration: RedisConnectionConfiguration, resubscribes: Bool, connection: RedisConnection) {
        self.configuration = configuration
        self.resubscribes = resubscribes
        self.state = NIOLockedValueBox(State(connection: connection))
        self.instruments = SubscriberInstruments(configuration)
    }

    static func connect(_ configuration: RedisConnectionConfiguration, resubscribes: Bool) async throws
        -> RedisSubscriber
    {
        let connection = try await RedisConnection.connect(configuration)
        let subscriber = RedisSubscriber(configuration: configuration, resubscribes: resubscribes, connection: connection)
        subscriber.watch(connection)
        subscriber.instruments.startBacklogGauge(of: subscriber)
        return subscriber
    }

    /// The connection in use now (it changes after a reconnection).
    public var connection: RedisConnection { state.withLockedValue { $0.connection } }
    /// Subscribed channels, by name.
    public var channels: [String: PubSubChannel] { state.withLockedValue { $0.wanted.channels } }
    /// Subscribed patterns, by pattern.
    public var patterns: [String: PubSubChannel] { state.withLockedValue { $0.wanted.patterns } }
    /// How many times the subscriber reconnected and resubscribed.
    public var reconnections: Int { state.withLockedValue { $0.reconnections } }
    /// True once `close()` was called.
    public var isClosed: Bool { state.withLockedValue { $0.isClosed } }

    /// Subscribes to channels; returns their `PubSubChannel`s in the order given.
    @discardableResult
    public func subscribe(_ names: String...) async throws -> [PubSubChannel] {
        try await subscribe(names, pattern: false)
    }

    /// Subscribes to patterns.
    @discardableResult
    public func psubscribe(_ patterns: String...) async throws -> [PubSubChannel] {
        try await subscribe(patterns, pattern: true)
    }

    /// Unsubscribes from channels; their streams end.
    public func unsubscribe(_ names: String...) async throws {
        state.withLockedValue { state in for name in names { state.wanted[.channel, name] = nil } }
        _ = try await connection.executePubSub("unsubscribe", channels: names)
    }

    /// Unsubscribes from patterns; their streams end.
    public func punsubscribe(_ patterns: String...) async throws {
        state.withLockedValue { state in for pattern in patterns { state.wanted[.pattern, pattern] = nil } }
        _ = try await connection.executePubSub("punsubscribe", channels: patterns)
    }

    private func subscribe(_ names: [String], pattern: Bool) async throws -> [PubSubChannel] {
        let channels = state.withLockedValue { state in
            names.map { name in
                state.wanted.channel(SubscriptionFamily(isPattern: pattern), named: name) {
                    PubSubChannel(name: name, isPattern: pattern)
                }.channel
            }
        }
        _ = try await connection.executePubSub(pattern ? "psubscribe" : "subscribe", channels: channels)
        return channels
    }

    /// Closes the connection and ends every channel's stream.
    public func close() {
        let (connection, channels) = state.withLockedValue { state in
            state.isClosed = true
            return (state.connection, state.wanted.all)
        }
        instruments.stopBacklogGauge()
        instruments.logger.debug("subscriber closed")
        connection.close()
        for channel in channels { channel.close() }
    }

    private func watch(_ connection: RedisConnection) {
        if resubscribes { connection.keepChannelsOnLoss() }
        connection.channel.closeFuture.whenComplete { _ in
            guard self.resubscribes, !self.isClosed else { return }
            Task { await self.reconnect() }
        }
    }

    private func reconnect() async {
        instruments.logger.info("subscriber lost its connection, reconnecting")
        var backoff = Backoff()
        while !isClosed {
            var opened: RedisConnection?
            do {
                let connection = try await RedisConnection.connect(configuration)
                opened = connection
                let channels = state.withLockedValue { $0.wanted.all }
                try await Resubscription.subscribe(channels, on: connection)
                let closedMeanwhile = state.withLockedValue { state -> Bool in
                    guard !state.isClosed else { return true }
                    state.connection = connection
                    state.reconnections += 1
                    return false
                }
                if closedMeanwhile {
                    connection.close()
                    return
                }
                Resubscription.announceGap(on: channels)
                instruments.reconnected()
                let patternCount = channels.count { $0.isPattern }
                instruments.logger.info(
                    "subscriber resubscribed",
                    metadata: [
                        "redis.channels": "\(channels.count - patternCount)", "redis.patterns": "\(patternCount)",
                    ])
                watch(connection)
                return
            } catch {
                opened?.close()
                try? await Task.sleep(for: backoff.next())
            }
        }
    }
}
