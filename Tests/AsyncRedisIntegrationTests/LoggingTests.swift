import AsyncRedisTestSupport
import AsyncRedis
import Foundation
import Logging
import Testing

@Suite("swift-log: lifecycle events and commands, never a secret or a value")
struct LoggingTests {
    @Test("a run with credentials logs its lifecycle and commands, and no password, ACL secret or value")
    func noSecretInLogs() async throws {
        let logs = CapturedLogs()
        let logger = logs.logger()
        let password = try TestServers.authPassword()
        let aclUser = try TestServers.aclUser()
        let aclPassword = try TestServers.aclPassword()
        let address = RedisAddress.tcp(host: TestServers.host, port: try TestServers.authPort())
        let value = "value-\(UUID().uuidString)"
        let key = uniqueKey()

        // RESP2 (AUTH) and RESP3 (HELLO 3 AUTH) handshakes, with the default user and an ACL user.
        let connection = try await createConnection(address, password: password, logger: logger)
        _ = try await connection.execute("SET", key, value)
        _ = try await connection.execute("GET", key)
        try await connection.auth(aclPassword, username: aclUser)
        connection.close()
        let resp3 = try await createRedis(
            address, username: aclUser, password: aclPassword, protocolVersion: 3, logger: logger)
        #expect(try await resp3.get(key) == value)
        resp3.close()

        // A pool re-authenticated, with a pipeline and a transaction, and one connection killed so it refills.
        let pool = try await createPool(address, password: password, minSize: 1, maxSize: 2, logger: logger)
        try await pool.auth(aclPassword, username: aclUser)
        let redis = Redis(pool)
        _ = try await redis.pipeline([("SET", [key, value]), ("GET", [key])])
        _ = try await redis.multiExec([("SET", [key, value]), ("GET", [key])])
        let victim = try await pool.acquire()
        let victimID = try await victim.execute("CLIENT", "ID", as: Int.self)
        pool.release(victim)
        let killer = try await createConnection(address, password: password)
        _ = try await killer.execute("CLIENT", "KILL", "ID", victimID)
        try await waitUntil { logs.lines.contains { $0.message == "refilling the pool" } }

        // A subscriber that loses its connection and resubscribes.
        let subscriber = try await createSubscriber(address, password: password, logger: logger)
        let subscriberID = try await subscriber.connection.execute("CLIENT", "ID", as: Int.self)
        let channel = try await subscriber.subscribe(key)[0]
        _ = try await killer.execute("CLIENT", "KILL", "ID", subscriberID)
        #expect(try await channel.get()?.kind == .resubscribed)
        _ = try await killer.execute("PUBLISH", key, value)
        #expect(try await channel.get(as: String.self) == value)
        subscriber.close()
        killer.close()
        pool.close()
        await pool.waitClosed()

        let lines = logs.lines
        for line in lines {
            let text = line.description
            #expect(!text.contains(password), "password in: \(text)")
            #expect(!text.contains(aclPassword), "ACL secret in: \(text)")
            #expect(!text.contains(value), "value in: \(text)")
            #expect(!text.contains(key), "key in: \(text)")
        }
        // What an operator relies on: each event is there, with the endpoint and db, commands only at trace.
        let messages = Set(lines.map(\.message))
        for expected in [
            "connecting", "handshake done", "connected", "connection closed", "connection lost", "pool opened",
            "refilling the pool", "a connection left the pool", "pool closed", "subscriber resubscribed",
            "command finished",
        ] {
            #expect(messages.contains(expected), "no '\(expected)' line")
        }
        let connected = try #require(lines.first { $0.message == "connected" })
        #expect(connected.metadata["server.port"] == "\(try TestServers.authPort())")
        #expect(connected.metadata["db.namespace"] == "0")
        #expect(connected.metadata["redis.connection.id"] != nil)
        let commands = lines.filter { $0.message == "command finished" }
        #expect(commands.allSatisfy { $0.level == .trace })
        let operations = Set(commands.compactMap { $0.metadata["db.operation.name"] })
        #expect(operations.isSuperset(of: ["AUTH", "HELLO", "SET", "GET", "PIPELINE", "MULTI"]))
        #expect(lines.filter { $0.message != "command finished" }.allSatisfy { $0.level >= .debug })
    }

    @Test("below trace, no line per command")
    func commandsOnlyAtTrace() async throws {
        let logs = CapturedLogs()
        let connection = try await createConnection(try TestServers.plain(), logger: logs.logger(level: .debug))
        _ = try await connection.execute("PING")
        connection.close()
        await connection.waitClosed()
        let messages = logs.lines.map(\.message)
        #expect(messages.contains("connected"))
        #expect(!messages.contains("command finished"))
    }
}
