import AsyncRedisTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import AsyncRedis

/// The Pub/Sub API an aioredis user expects: the full Receiver, typed confirmations, shard channels on `Redis`.
@Suite("Pub/Sub API parity against real servers")
struct PubSubParityTests {
    @Test("Receiver.stop delivers the messages already queued, then ends; later messages are ignored")
    func receiverStopDrains() async throws {
        let receiver = Receiver()
        try await withConnection { subscriber in
            let name = uniqueKey()
            _ = try await subscriber.executePubSub("subscribe", receiver.channel(name))
            try await withConnection { publisher in
                for index in 0..<3 { _ = try await publisher.execute("PUBLISH", name, "m\(index)") }
            }
            // The server wrote the messages before the PING reply: once it is read, all three are queued.
            _ = try await subscriber.execute("PING")
            #expect(try await withTimeLimit { await receiver.waitMessage() })
            receiver.stop()
            try await withConnection { publisher in _ = try await publisher.execute("PUBLISH", name, "late") }
            _ = try await subscriber.execute("PING")
            var received: [String] = []
            while let (_, text) = try await withTimeLimit(.seconds(10), { try await receiver.get(as: String.self) }) {
                received.append(text)
            }
            #expect(received == ["m0", "m1", "m2"])
            #expect(!receiver.isActive)
            #expect(await receiver.waitMessage() == false)
        }
    }

    @Test("Receiver: same object per name, decoder and JSON forms, onClose and checkStop")
    func receiverAPI() async throws {
        struct Event: Codable, Equatable { var id: Int }
        let closed = NIOLockedValueBox<[String]>([])
        let receiver = Receiver { channel, error in
            closed.withLockedValue { $0.append("\(channel.name):\(error == nil ? "unsubscribed" : "failed")") }
        }
        #expect(!receiver.isActive)  // nothing subscribed yet
        let name = uniqueKey()
        let pattern = "\(name):*"
        #expect(receiver.channel(name) === receiver.channel(name))
        #expect(receiver.isActive)
        #expect(receiver.pattern(pattern) === receiver.pattern(pattern))
        let channelNamedLikePattern = receiver.channel(pattern)
        #expect(channelNamedLikePattern !== receiver.pattern(pattern))
        receiver.checkStop(channelNamedLikePattern)
        try await withConnection { subscriber in
            _ = try await subscriber.executePubSub("subscribe", receiver.channel(name))
            _ = try await subscriber.executePubSub("psubscribe", receiver.pattern(pattern))
            try await withConnection { publisher in
                _ = try await publisher.execute("PUBLISH", name, "{\"id\":7}")
                _ = try await publisher.execute("PUBLISH", "\(name):x", "bytes")
            }
            let event = try await withTimeLimit { try await receiver.getJSON(as: Event.self) }
            #expect(event?.channel === receiver.channel(name) && event?.message == Event(id: 7))
            let counted = try await withTimeLimit { try await receiver.get { $0.readableBytes } }
            #expect(counted?.channel === receiver.pattern(pattern) && counted?.message == 5)
            // Unsubscribing closes the channel: onClose hears of it, and the receiver forgets it.
            let channel = receiver.channel(name)
            _ = try await subscriber.executePubSub("unsubscribe", name)
            // (The first was the channel detached by checkStop above.)
            #expect(closed.withLockedValue { $0 } == ["\(pattern):unsubscribed", "\(name):unsubscribed"])
            #expect(receiver.channels[name] == nil)
            let fresh = receiver.channel(name)
            #expect(fresh !== channel)
            // checkStop detaches channels; with none left the stream ends.
            receiver.checkStop(fresh)
            receiver.checkStop(receiver.pattern(pattern))
            #expect(receiver.channels.isEmpty && receiver.patterns.isEmpty)
            #expect(try await withTimeLimit { try await receiver.get() } == nil)
        }
    }

    @Test("typed confirmations: kind, name and count", arguments: [2, 3])
    func typedConfirmations(protocolVersion: Int) async throws {
        try await withConnection(protocolVersion: protocolVersion) { subscriber in
            let names = [uniqueKey("a"), uniqueKey("b")]
            let subscribed = try await subscriber.executePubSub(
                "subscribe", channels: names, as: [PubSubConfirmation].self)
            #expect(subscribed == [
                PubSubConfirmation(kind: .subscribe, name: names[0], count: 1),
                PubSubConfirmation(kind: .subscribe, name: names[1], count: 2),
            ])
            let patterned = try await subscriber.execute("PSUBSCRIBE", "\(names[0]):*", as: [PubSubConfirmation].self)
            #expect(patterned == [PubSubConfirmation(kind: .psubscribe, name: "\(names[0]):*", count: 3)])
            let all = try await subscriber.execute("UNSUBSCRIBE", as: [PubSubConfirmation].self)
            #expect(Set(all.compactMap(\.name)) == Set(names) && all.allSatisfy { $0.kind == .unsubscribe })
            _ = try await subscriber.execute("PUNSUBSCRIBE")
            // Nothing left to unsubscribe: one confirmation without a name.
            #expect(try await subscriber.execute("UNSUBSCRIBE", as: [PubSubConfirmation].self)
                == [PubSubConfirmation(kind: .unsubscribe, name: nil, count: 0)])
        }
    }

    @Test("Redis: inPubSub, ssubscribe, spublish and sunsubscribe, on a connection and on a pool",
          .needsRedis7("SSUBSCRIBE, SPUBLISH and SUNSUBSCRIBE"))
    func shardChannelsOnRedis() async throws {
        let single = try await createRedis(try TestServers.plain())
        let pooled = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 2)
        defer {
            single.close()
            pooled.close()
        }
        for redis in [single, pooled] {
            let name = uniqueKey()
            #expect(redis.inPubSub == 0)
            let channel = try await redis.ssubscribe(name)[0]
            #expect(redis.inPubSub == 1)
            #expect(redis.shardChannels[name] === channel)
            #expect(try await redis.ssubscribe(name)[0] === channel)
            let publisher = redis === single ? pooled : single
            #expect(try await publisher.spublish(name, "sharded") == 1)
            #expect(try await withTimeLimit { try await channel.get() }?.string() == "sharded")
            try await redis.sunsubscribe(name)
            #expect(redis.inPubSub == 0)
            #expect(try await channel.get() == nil)
        }
    }
}
