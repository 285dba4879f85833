import AsyncRedisTestSupport
import Foundation
import Testing

@testable import AsyncRedis

/// The Pub/Sub defects a user migrating from aioredis met first: a second subscribe closing the first channel,
/// SUBSCRIBE through plain `execute` desyncing the connection, and an error reply to a Pub/Sub command hanging it.
@Suite("Pub/Sub correctness against real servers")
struct PubSubCorrectnessTests {
    @Test("subscribing twice on a pool returns the registered channel, and its consumer keeps reading")
    func resubscribeOnPool() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 3)
        defer { redis.close() }
        let name = uniqueKey()
        let first = try await redis.subscribe(name)[0]
        let second = try await redis.subscribe(name)[0]
        #expect(first === second)
        #expect(first.isActive)
        #expect(redis.channels[name] === first)
        #expect(try await redis.publish(name, "after") == 1)
        #expect(try await withTimeLimit { try await first.get() }?.string() == "after")
    }

    @Test("executePubSub twice on a connection keeps the channel a consumer reads", arguments: [2, 3])
    func resubscribeOnConnection(protocolVersion: Int) async throws {
        try await withConnection(protocolVersion: protocolVersion) { subscriber in
            let name = uniqueKey()
            _ = try await subscriber.executePubSub("subscribe", name)
            let original = try #require(subscriber.pubsubChannels[name])
            let reader = Task { try await original.get() }
            let confirmations = try await subscriber.executePubSub("subscribe", name)
            #expect(try [String](fromRESP: confirmations[0], encoding: .utf8) == ["subscribe", name, "1"])
            #expect(subscriber.pubsubChannels[name] === original)
            #expect(subscriber.inPubSub == 1)
            try await withConnection { publisher in _ = try await publisher.execute("PUBLISH", name, "kept") }
            #expect(try await withTimeLimit { try await reader.value }?.string() == "kept")
        }
    }

    @Test("SUBSCRIBE through plain execute answers its confirmations and the connection stays in sync",
          arguments: [2, 3])
    func subscribeThroughExecute(protocolVersion: Int) async throws {
        try await withConnection(protocolVersion: protocolVersion) { subscriber in
            let names = [uniqueKey("a"), uniqueKey("b")]
            let reply = try await withTimeLimit { try await subscriber.execute("SUBSCRIBE", names[0], names[1]) }
            #expect(try [[String]](fromRESP: reply, encoding: .utf8) == [
                ["subscribe", names[0], "1"], ["subscribe", names[1], "2"],
            ])
            #expect(subscriber.inPubSub == 2)
            try await withConnection { publisher in _ = try await publisher.execute("PUBLISH", names[1], "hi") }
            let channel = try #require(subscriber.pubsubChannels[names[1]])
            #expect(try await withTimeLimit { try await channel.get() }?.string() == "hi")
            if protocolVersion == 3 {
                // RESP3 keeps ordinary commands allowed: their replies must reach their own callers.
                #expect(try await withTimeLimit { try await subscriber.execute("ECHO", "mine", as: String.self) }
                    == "mine")
            }
            let unsubscribed = try await withTimeLimit { try await subscriber.execute("UNSUBSCRIBE") }
            #expect(try [[RESPValue]](fromRESP: unsubscribed, encoding: .utf8).count == 2)
            #expect(subscriber.inPubSub == 0)
            #expect(try await channel.get() == nil)
            #expect(try await subscriber.execute("PING", as: String.self) == "PONG")
            #expect(!subscriber.isClosed)
        }
    }

    @Test("SUBSCRIBE through execute on a pool goes to its Pub/Sub connection, never a shared one")
    func subscribeThroughExecuteOnPool() async throws {
        let pubsubPool = try await createPool(try TestServers.plain(), minSize: 1, maxSize: 2)
        defer { pubsubPool.close() }
        let name = uniqueKey()
        let reply = try await withTimeLimit { try await pubsubPool.execute("SUBSCRIBE", name) }
        #expect(try [[String]](fromRESP: reply, encoding: .utf8) == [["subscribe", name, "1"]])
        #expect(pubsubPool.inPubSub == 1)
        #expect(pubsubPool.pubsubChannels[name] != nil)
        // Every other caller still gets its own replies, concurrently.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let echoed = try await pubsubPool.execute("ECHO", "e\(index)", as: String.self)
                    #expect(echoed == "e\(index)")
                }
            }
            try await group.waitForAll()
        }
        #expect(try await pubsubPool.execute("PUBLISH", name, "x", as: Int.self) == 1)
        let channel = try #require(pubsubPool.pubsubChannels[name])
        #expect(try await withTimeLimit { try await channel.get() }?.string() == "x")
        _ = try await withTimeLimit { try await pubsubPool.execute("UNSUBSCRIBE", name) }
        #expect(pubsubPool.inPubSub == 0)
    }

    @Test("a Pub/Sub command refused by the server (NOPERM) throws its ReplyError; the connection goes on",
          arguments: [2, 3])
    func refusedSubscribe(protocolVersion: Int) async throws {
        try await withRestrictedUser { user, password in
            let connection = try await createConnection(
                try TestServers.plain(), username: user, password: password, protocolVersion: protocolVersion)
            defer { connection.close() }
            let refused = uniqueKey()
            await expectReplyError(code: "NOPERM") {
                try await withTimeLimit { try await connection.executePubSub("subscribe", refused) }
            }
            await expectReplyError(code: "NOPERM") {
                try await withTimeLimit { try await connection.execute("PSUBSCRIBE", "\(refused):*") }
            }
            // Redis 6.2 has no SSUBSCRIBE: its ERR refuses the command just as whole as NOPERM does.
            await expectReplyError(code: TestServerFlavour.isAtLeast(7) ? "NOPERM" : "ERR") {
                try await withTimeLimit { try await connection.execute("SSUBSCRIBE", refused) }
            }
            #expect(connection.inPubSub == 0)
            #expect(!connection.isClosed)
            #expect(try await connection.execute("PING", as: String.self) == "PONG")
            // The channels the user may use still subscribe on the same connection.
            let allowed = "allowed:\(refused)"
            let confirmations = try await withTimeLimit { try await connection.executePubSub("subscribe", allowed) }
            #expect(confirmations.count == 1)
            #expect(connection.inPubSub == 1)
        }
    }
}

/// Runs `body` with an ACL user of the plain server that may use only channels starting with `allowed:`, and
/// deletes the user afterwards.
func withRestrictedUser(_ body: (String, String) async throws -> Void) async throws {
    let user = "restricted-\(UUID().uuidString)"
    let password = UUID().uuidString
    try await withConnection { admin in
        _ = try await admin.execute(
            "ACL", "SETUSER", user, "on", ">\(password)", "~*", "resetchannels", "&allowed:*", "+@all")
    }
    do {
        try await body(user, password)
    } catch {
        _ = try? await withConnection { admin in try await admin.execute("ACL", "DELUSER", user) }
        throw error
    }
    _ = try await withConnection { admin in try await admin.execute("ACL", "DELUSER", user) }
}
