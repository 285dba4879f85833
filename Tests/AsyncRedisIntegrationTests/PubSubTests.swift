import AsyncRedisTestSupport
import Foundation
import NIOCore
import Testing

@testable import AsyncRedis

@Suite("Pub/Sub against real servers")
struct PubSubTests {
    @Test("messages on 100 channels all arrive, in order per channel")
    func hundredChannels() async throws {
        let subscriber = try await TestServers.connect()
        defer { subscriber.close() }
        let names = (0..<100).map { uniqueKey("ch\($0)") }
        let confirmations = try await subscriber.executePubSub("subscribe", channels: names)
        #expect(confirmations.count == 100)
        #expect(subscriber.inPubSub == 100)
        try await withConnection { publisher in
            for round in 0..<20 {
                for name in names { _ = try await publisher.execute("PUBLISH", name, "\(name)#\(round)") }
            }
        }
        for name in names {
            let channel = try #require(subscriber.pubsubChannels[name])
            for round in 0..<20 {
                let message = try await withTimeLimit { try await channel.get() }
                #expect(message?.string() == "\(name)#\(round)")
                #expect(message?.channel == name)
            }
        }
    }

    @Test("pattern subscriptions deliver (channel, message) pairs")
    func patterns() async throws {
        let subscriber = try await TestServers.connect()
        defer { subscriber.close() }
        let prefix = uniqueKey("pat")
        let pattern = PubSubChannel(name: "\(prefix):*", isPattern: true)
        let confirmations = try await subscriber.executePubSub("psubscribe", pattern)
        #expect(try [String](fromRESP: confirmations[0], encoding: .utf8) == ["psubscribe", "\(prefix):*", "1"])
        #expect(subscriber.pubsubPatterns["\(prefix):*"] === pattern)
        try await withConnection { publisher in
            _ = try await publisher.execute("PUBLISH", "\(prefix):a", "one")
            _ = try await publisher.execute("PUBLISH", "\(prefix):b", "two")
            _ = try await publisher.execute("PUBLISH", "other", "never")
        }
        let first = try await withTimeLimit { try await pattern.get() }
        let second = try await withTimeLimit { try await pattern.get() }
        #expect(first?.channel == "\(prefix):a" && first?.pattern == "\(prefix):*" && first?.string() == "one")
        #expect(second?.channel == "\(prefix):b" && second?.string() == "two")
        _ = try await subscriber.executePubSub("punsubscribe", pattern)
        #expect(subscriber.inPubSub == 0)
        #expect(try await pattern.get() == nil)
    }

    @Test("after unsubscribe: queued messages, then nil; the AsyncSequence ends")
    func unsubscribeEnds() async throws {
        let subscriber = try await TestServers.connect()
        defer { subscriber.close() }
        let name = uniqueKey()
        _ = try await subscriber.executePubSub("subscribe", name)
        let channel = try #require(subscriber.pubsubChannels[name])
        try await withConnection { publisher in
            for index in 0..<3 { _ = try await publisher.execute("PUBLISH", name, "m\(index)") }
        }
        try await waitUntil { channel.bufferedCount == 3 }
        _ = try await subscriber.executePubSub("unsubscribe", name)
        #expect(channel.isActive)  // messages still queued
        var received: [String] = []
        for try await message in channel { received.append(message.string() ?? "") }
        #expect(received == ["m0", "m1", "m2"])
        #expect(!channel.isActive)
        #expect(try await channel.get() == nil)
        #expect(await channel.waitMessage() == false)
    }

    @Test("getJSON and get(decoder:) decode payloads")
    func json() async throws {
        struct Event: Codable, Equatable { var id: Int; var name: String }
        let subscriber = try await TestServers.connect()
        defer { subscriber.close() }
        let name = uniqueKey()
        _ = try await subscriber.executePubSub("subscribe", name)
        let channel = try #require(subscriber.pubsubChannels[name])
        try await withConnection { publisher in
            _ = try await publisher.execute("PUBLISH", name, #"{"id":7,"name":"seven"}"#)
            _ = try await publisher.execute("PUBLISH", name, "42")
            _ = try await publisher.execute("PUBLISH", name, "not json")
        }
        #expect(await channel.waitMessage())
        #expect(try await channel.getJSON(as: Event.self) == Event(id: 7, name: "seven"))
        #expect(try await channel.get { Int(String(buffer: $0)) } == 42)
        await #expect(throws: DecodingError.self) { _ = try await channel.getJSON(as: Event.self) }
    }

    @Test("Receiver multiplexes channels and patterns and tells where each message came from")
    func receiver() async throws {
        let subscriber = try await TestServers.connect()
        defer { subscriber.close() }
        let receiver = Receiver()
        let base = uniqueKey("recv")
        let plain = receiver.channel("\(base):plain")
        let pattern = receiver.pattern("\(base):p:*")
        _ = try await subscriber.executePubSub("subscribe", plain)
        _ = try await subscriber.executePubSub("psubscribe", pattern)
        #expect(receiver.isActive)
        #expect(Set(receiver.channels.keys) == ["\(base):plain"])
        #expect(Set(receiver.patterns.keys) == ["\(base):p:*"])
        try await withConnection { publisher in
            _ = try await publisher.execute("PUBLISH", "\(base):plain", "a")
            _ = try await publisher.execute("PUBLISH", "\(base):p:x", "b")
            _ = try await publisher.execute("PUBLISH", "\(base):plain", "c")
        }
        var seen: [(String, String)] = []
        for _ in 0..<3 {
            let element = try #require(try await withTimeLimit { try await receiver.get() })
            seen.append((element.channel.name, element.message.string() ?? ""))
        }
        #expect(seen.map(\.0) == ["\(base):plain", "\(base):p:*", "\(base):plain"])
        #expect(seen.map(\.1) == ["a", "b", "c"])
        _ = try await subscriber.executePubSub("unsubscribe", plain)
        _ = try await subscriber.executePubSub("punsubscribe", pattern)
        #expect(!receiver.isActive)
        #expect(try await receiver.get() == nil)  // every channel unsubscribed: the stream ends
    }

    @Test("Receiver.stop ends the iteration")
    func receiverStop() async throws {
        let receiver = Receiver()
        _ = receiver.channel("x")
        let consumer = Task { () -> Int in
            var count = 0
            for try await _ in receiver { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(20))
        receiver.stop()
        #expect(try await withTimeLimit { try await consumer.value } == 0)
    }

    @Test("a subscriber killed by the server: channels close with ChannelClosedError carrying the cause")
    func killedSubscriber() async throws {
        let subscriber = try await TestServers.connect()
        let id = try await subscriber.execute("CLIENT", "ID", as: Int.self)
        let name = uniqueKey()
        _ = try await subscriber.executePubSub("subscribe", name)
        let channel = try #require(subscriber.pubsubChannels[name])
        try await withConnection { other in _ = try await other.execute("CLIENT", "KILL", "ID", id) }
        do {
            _ = try await withTimeLimit { try await channel.get() }
            Issue.record("get succeeded on a killed subscriber")
        } catch let error as ChannelClosedError {
            #expect(error.cause is ConnectionClosedError)
        }
        #expect(subscriber.inPubSub == 0)
        #expect(!channel.isActive)
    }

    @Test("RESP3: one connection interleaves commands and push messages")
    func resp3Interleaving() async throws {
        try await withConnection(protocolVersion: 3) { connection in
            let name = uniqueKey()
            let key = uniqueKey("k")
            _ = try await connection.execute("SET", key, "value")
            let confirmations = try await connection.executePubSub("subscribe", name)
            #expect(confirmations.count == 1)
            let channel = try #require(connection.pubsubChannels[name])
            try await withConnection { publisher in
                for index in 0..<50 {
                    _ = try await publisher.execute("PUBLISH", name, "m\(index)")
                    // Commands keep working on the subscribed RESP3 connection, between messages.
                    let value = try await connection.execute("GET", key, as: String.self)
                    #expect(value == "value")
                }
            }
            for index in 0..<50 {
                let message = try await withTimeLimit { try await channel.get() }
                #expect(message?.string() == "m\(index)")
            }
            _ = try await connection.executePubSub("unsubscribe", name)
            #expect(connection.inPubSub == 0)
        }
    }

    @Test("a slow consumer receives 100 000 messages without losing one")
    func slowConsumer() async throws {
        let subscriber = try await TestServers.connect()
        defer { subscriber.close() }
        let name = uniqueKey()
        _ = try await subscriber.executePubSub("subscribe", name)
        let channel = try #require(subscriber.pubsubChannels[name])
        let total = 100_000
        try await withConnection { publisher in
            var batch: [(command: String, arguments: [any RedisArgument])] = []
            for index in 0..<total {
                batch.append(("PUBLISH", [name, index]))
                if batch.count == 5_000 {
                    _ = try await publisher.executeBatch(batch)
                    batch.removeAll()
                }
            }
        }
        // Everything was published before reading began: the consumer is as slow as can be.
        try await waitUntil(.seconds(30)) { channel.bufferedCount == total }
        for expected in 0..<total {
            let message = try await channel.get()
            guard message?.string() == String(expected) else {
                Issue.record("message \(expected) was \(String(describing: message?.string()))")
                return
            }
        }
        #expect(channel.bufferedCount == 0)
    }

    @Test("past maxBuffered the channel closes with an overflow error after the queued messages")
    func overflow() async throws {
        let channel = PubSubChannel(name: "bounded", maxBuffered: 3)
        for index in 0..<5 { channel.putNoWait(PubSubMessage(channel: "bounded", payload: ByteBuffer(string: "\(index)"))) }
        for index in 0..<3 { #expect(try await channel.get()?.string() == "\(index)") }
        do {
            _ = try await channel.get()
            Issue.record("overflow went unnoticed")
        } catch let error as ChannelClosedError {
            #expect(error.cause is PubSubOverflowError)
        }
    }

    @Test("a SUBSCRIBE the server refuses (ACL) fails with its ReplyError; the connection stays usable",
        arguments: [2, 3])
    func refusedSubscribe(protocolVersion: Int) async throws {
        let address = RedisAddress.tcp(host: "127.0.0.1", port: try TestServers.authPort())
        let admin = try await createConnection(address, password: try TestServers.authPassword())
        defer { admin.close() }
        // A user that may run every command but use only channels matching allowed:*.
        let user = "pubsub-\(UUID().uuidString)"
        let password = UUID().uuidString
        _ = try await admin.execute(
            "ACL", "SETUSER", user, "on", ">\(password)", "~*", "+@all", "resetchannels", "&allowed:*")
        let connection = try await createConnection(
            address, username: user, password: password, protocolVersion: protocolVersion)
        defer { connection.close() }
        let forbidden = uniqueKey()
        await expectReplyError(code: "NOPERM") {
            try await withTimeLimit { try await connection.executePubSub("subscribe", forbidden) }
        }
        #expect(connection.inPubSub == 0 && connection.pubsubChannels.isEmpty)
        // Not in Pub/Sub mode: an ordinary command answers, then an allowed channel can be subscribed.
        #expect(try await connection.execute("PING", as: String.self) == "PONG")
        _ = try await connection.executePubSub("subscribe", "allowed:\(forbidden)")
        #expect(connection.inPubSub == 1)
        _ = try await admin.execute("ACL", "DELUSER", user)
    }

    @Test(
        "sharded channels: SSUBSCRIBE and SPUBLISH",
        .needsRedis7("sharded Pub/Sub (SSUBSCRIBE, SPUBLISH) is new in Redis 7.0"))
    func sharded() async throws {
        let subscriber = try await TestServers.connect()
        defer { subscriber.close() }
        let name = uniqueKey()
        _ = try await subscriber.executePubSub("ssubscribe", name)
        #expect(subscriber.inPubSub == 1)
        let channel = try #require(subscriber.pubsubShardChannels[name])
        try await withConnection { publisher in _ = try await publisher.execute("SPUBLISH", name, "shard") }
        #expect(try await withTimeLimit { try await channel.get() }?.string() == "shard")
        _ = try await subscriber.executePubSub("sunsubscribe", name)
        #expect(subscriber.inPubSub == 0)
    }
}

extension PrivateServerTests {
    @Test("CLIENT KILL TYPE pubsub closes channels; a resubscribing subscriber gets messages again")
    func killTypePubSubAndResubscribe() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let plain = try await createConnection(server.address)
        defer { plain.close() }
        _ = try await plain.executePubSub("subscribe", "news")
        let plainChannel = try #require(plain.pubsubChannels["news"])

        let subscriber = try await createSubscriber(server.address, resubscribe: true)
        defer { subscriber.close() }
        let channels = try await subscriber.subscribe("news")
        let patterns = try await subscriber.psubscribe("n*")

        try await withConnection(server.address) { admin in
            let killed = try await admin.execute("CLIENT", "KILL", "TYPE", "pubsub", as: Int.self)
            #expect(killed == 2)
        }
        // The plain subscriber learns of it: its channel closes with the error.
        do {
            _ = try await withTimeLimit { try await plainChannel.get() }
            Issue.record("plain channel survived CLIENT KILL")
        } catch let error as ChannelClosedError {
            #expect(error.cause is ConnectionClosedError)
        }
        // The resubscribing one reconnects, marks the gap, and receives again on the same channel objects.
        let marker = try await withTimeLimit { try await channels[0].get() }
        #expect(marker?.kind == .resubscribed)
        let patternMarker = try await withTimeLimit { try await patterns[0].get() }
        #expect(patternMarker?.kind == .resubscribed)
        #expect(subscriber.reconnections == 1)
        try await withConnection(server.address) { publisher in
            let receivers = try await publisher.execute("PUBLISH", "news", "after", as: Int.self)
            #expect(receivers == 2)  // the channel and the pattern of the resubscribed connection
        }
        let message = try await withTimeLimit { try await channels[0].get() }
        #expect(message?.kind == .message && message?.string() == "after")
        let viaPattern = try await withTimeLimit { try await patterns[0].get() }
        #expect(viaPattern?.channel == "news" && viaPattern?.string() == "after")
    }
}
