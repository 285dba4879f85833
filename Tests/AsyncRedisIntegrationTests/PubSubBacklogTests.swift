import AsyncRedis
import AsyncRedisTestSupport
import Foundation
import NIOCore
import Testing

@Suite("Pub/Sub backlog bounds")
struct PubSubBacklogTests {
    @Test("past maxBufferedBytes a channel closes with PubSubOverflowError after the queued messages")
    func byteBound() async throws {
        let channel = PubSubChannel(name: "bytes", maxBufferedBytes: 10_000)
        let payload = ByteBuffer(repeating: 0x61, count: 1000)
        for _ in 0..<20 { channel.putNoWait(PubSubMessage(channel: "bytes", payload: payload)) }
        // Each message counts its payload, its channel name and 64 bytes: 9 fit in 10 000 bytes.
        #expect(channel.bufferedCount == 9)
        #expect(channel.bufferedBytes == 9 * (1000 + 5 + 64))
        for _ in 0..<9 { _ = try await channel.get() }
        #expect(channel.bufferedBytes == 0)
        let error = await #expect(throws: ChannelClosedError.self) { _ = try await channel.get() }
        #expect(error?.cause is PubSubOverflowError)
    }

    @Test("a receiver is bounded in bytes too")
    func receiverByteBound() async throws {
        let receiver = Receiver(maxBufferedBytes: 5_000)
        let channel = receiver.channel("r")
        for _ in 0..<10 {
            channel.putNoWait(PubSubMessage(channel: "r", payload: ByteBuffer(repeating: 0x62, count: 1000)))
        }
        for _ in 0..<4 { _ = try await receiver.get() }
        await #expect(throws: ChannelClosedError.self) { _ = try await receiver.get() }
    }

    @Test("an overflowed channel is unsubscribed on the server: the connection stops receiving it",
        arguments: [2, 3])
    func overflowUnsubscribes(protocolVersion: Int) async throws {
        let subscriber = try await TestServers.connect(protocolVersion: protocolVersion)
        defer { subscriber.close() }
        let publisher = try await TestServers.connect()
        defer { publisher.close() }
        let name = uniqueKey()
        let kept = uniqueKey()
        let slow = PubSubChannel(name: name, maxBufferedBytes: 64 * 1024)
        _ = try await subscriber.executePubSub("subscribe", slow, kept)
        let payload = String(repeating: "x", count: 1024)
        // The consumer reads nothing: about 60 messages fit, the rest overflow the channel.
        for _ in 0..<200 { _ = try await publisher.execute("PUBLISH", name, payload) }
        try await withTimeLimit {
            while subscriber.pubsubChannels[name] != nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(subscriber.pubsubChannels[kept] != nil)
        let counts = try await publisher.execute("PUBSUB", "NUMSUB", name, kept, as: [String].self)
        #expect(counts == [name, "0", kept, "1"])
        // Read what was queued before the overflow, then the overflow error.
        var read = 0
        let error = await #expect(throws: ChannelClosedError.self) {
            while try await slow.get() != nil { read += 1 }
        }
        #expect(error?.cause is PubSubOverflowError)
        #expect(read > 0 && read < 200)
        #expect(slow.bufferedBytes == 0)
        // The connection goes on with its other subscription.
        _ = try await publisher.execute("PUBLISH", kept, "still here")
        let message = try await withTimeLimit { try await subscriber.pubsubChannels[kept]!.get() }
        #expect(message?.string() == "still here")
    }
}
