import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import AsyncRedis

/// Channels hand their messages and their end to one sink, their own buffer or their receiver, without a server.
@Suite("PubSub sinks: a channel's buffer or its receiver")
struct PubSubSinkTests {
    private func message(_ channel: String, _ payload: String) -> PubSubMessage {
        PubSubMessage(channel: channel, payload: ByteBuffer(string: payload))
    }

    /// Counts how often a channel asks its connection to unsubscribe it.
    private func countUnsubscribes(of channels: [PubSubChannel]) -> NIOLockedValueBox<[String: Int]> {
        let counts = NIOLockedValueBox([String: Int]())
        for channel in channels {
            channel.unsubscribesOnOverflow { [name = channel.name] in
                counts.withLockedValue { $0[name, default: 0] += 1 }
            }
        }
        return counts
    }

    @Test("a channel's own buffer delivers in order, then nil once unsubscribed; later messages are ignored")
    func ownBuffer() async throws {
        let channel = PubSubChannel(name: "news")
        channel.putNoWait(message("news", "1"))
        channel.putNoWait(message("news", "2"))
        #expect(channel.bufferedCount == 2)
        channel.close()
        channel.putNoWait(message("news", "3"))
        #expect(channel.isActive)  // two messages still to read
        #expect(try await channel.get()?.string() == "1")
        #expect(try await channel.get()?.string() == "2")
        #expect(try await channel.get() == nil)
        #expect(!channel.isActive)
    }

    @Test("a consumer waiting on a channel is woken by its message")
    func waitingConsumer() async throws {
        let channel = PubSubChannel(name: "news")
        async let next = channel.get()
        try await Task.sleep(for: .milliseconds(20))
        channel.putNoWait(message("news", "hello"))
        #expect(try await next?.string() == "hello")
    }

    @Test("an overflowing channel asks to be unsubscribed once and throws after what it queued")
    func channelOverflow() async throws {
        let channel = PubSubChannel(name: "c", maxBuffered: 2)
        let unsubscribes = countUnsubscribes(of: [channel])
        for index in 0..<4 { channel.putNoWait(message("c", "\(index)")) }
        #expect(unsubscribes.withLockedValue { $0 } == ["c": 1])
        #expect(try await channel.get()?.string() == "0")
        #expect(try await channel.get()?.string() == "1")
        await #expect(throws: ChannelClosedError.self) { _ = try await channel.get() }
        // The connection's unsubscribe confirmation then closes it: the overflow error stays.
        channel.close()
        await #expect(throws: ChannelClosedError.self) { _ = try await channel.get() }
    }

    @Test("a receiver's channels queue nothing themselves: every message reaches the receiver with its source")
    func receiverIsTheSink() async throws {
        let receiver = Receiver()
        let plain = receiver.channel("a")
        let pattern = receiver.pattern("a*")
        plain.putNoWait(message("a", "1"))
        pattern.putNoWait(PubSubMessage(channel: "ab", pattern: "a*", payload: ByteBuffer(string: "2")))
        #expect(plain.bufferedCount == 0 && pattern.bufferedCount == 0)
        let first = try #require(try await receiver.get())
        #expect(first.channel === plain && first.message.string() == "1")
        let second = try #require(try await receiver.get())
        #expect(second.channel === pattern && second.message.string() == "2")
        // Read through the receiver, never through the channel.
        await #expect(throws: InvalidArgumentError.self) { _ = try await plain.get() }
        #expect(await plain.waitMessage() == false)
    }

    @Test("a receiver's channel closing reports to the receiver once; the stream ends when none is left")
    func receiverChannelsClose() async throws {
        let closed = NIOLockedValueBox([String]())
        let receiver = Receiver { channel, error in
            closed.withLockedValue { $0.append("\(channel.name):\(error == nil ? "unsubscribed" : "lost")") }
        }
        let a = receiver.channel("a")
        let b = receiver.channel("b")
        a.close()
        a.close()
        #expect(!a.isActive && b.isActive)
        #expect(receiver.isActive)
        b.putNoWait(message("b", "last"))
        b.close(error: ConnectionClosedError("gone"))
        #expect(closed.withLockedValue { $0 } == ["a:unsubscribed", "b:lost"])
        #expect(try await receiver.get()?.message.string() == "last")
        await #expect(throws: ChannelClosedError.self) { _ = try await receiver.get() }
        #expect(try await receiver.get() == nil)
        // A closed channel's name gets a new channel.
        #expect(receiver.channel("a") !== a)
    }

    @Test("an overflowing receiver asks every one of its channels to be unsubscribed, once")
    func receiverOverflow() async throws {
        let receiver = Receiver(maxBuffered: 2)
        let channels = [receiver.channel("x"), receiver.channel("y"), receiver.pattern("z*")]
        let unsubscribes = countUnsubscribes(of: channels)
        for index in 0..<5 { channels[index % 2].putNoWait(message(channels[index % 2].name, "\(index)")) }
        #expect(unsubscribes.withLockedValue { $0 } == ["x": 1, "y": 1, "z*": 1])
        _ = try await receiver.get()
        _ = try await receiver.get()
        await #expect(throws: ChannelClosedError.self) { _ = try await receiver.get() }
    }

    @Test("a subscription table keeps a name's first channel, keeps families apart, and forgets only that channel")
    func subscriptionTable() {
        var table = SubscriptionTable()
        let first = table.channel(.channel, named: "n") { PubSubChannel(name: "n") }
        let again = table.channel(.channel, named: "n") { PubSubChannel(name: "n") }
        #expect(first.isNew && !again.isNew && again.channel === first.channel)
        let pattern = table.channel(.pattern, named: "n") { PubSubChannel(name: "n", isPattern: true) }
        #expect(pattern.isNew && pattern.channel !== first.channel)
        table[.shardChannel, "s"] = PubSubChannel(name: "s")
        #expect(table.count == 3 && table[.channel].count == 1 && table[.shardChannel].count == 1)
        let removedStranger = table.remove(PubSubChannel(name: "n"), family: .channel)
        let removedOwn = table.remove(first.channel, family: .channel)
        #expect(!removedStranger && removedOwn)
        #expect(table[.channel, "n"] == nil && table[.pattern, "n"] === pattern.channel)
        let removedAll = table.removeAll()
        #expect(removedAll.count == 2 && table.isEmpty)
    }

    @Test("Pub/Sub command kinds map to their subscription family")
    func families() {
        #expect(SubscriptionFamily(.unsubscribe) == .channel)
        #expect(SubscriptionFamily(.psubscribe) == .pattern)
        #expect(SubscriptionFamily(.sunsubscribe) == .shardChannel)
        #expect(SubscriptionFamily(isPattern: true) == .pattern)
    }
}
