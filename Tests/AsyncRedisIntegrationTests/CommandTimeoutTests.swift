import AsyncRedisTestSupport
import Foundation
import NIOCore
import Testing

@testable import AsyncRedis

@Suite("Command timeouts: no call waits forever")
struct CommandTimeoutTests {
    @Test("a silent server: the overdue call gets TimeoutError, the others ConnectionClosedError, later ones at once")
    func silentServer() async throws {
        let silent = try await ScriptedServer(reply: nil)
        defer { Task { await silent.close() } }
        let connection = try await createConnection(
            .tcp(host: "127.0.0.1", port: silent.port), commandTimeout: .milliseconds(300))
        let started = ContinuousClock.now
        let first = Task { try await connection.execute("GET", "a") }
        try await Task.sleep(for: .milliseconds(100))
        let second = Task { try await connection.execute("GET", "b") }
        let firstError = await #expect(throws: TimeoutError.self) { _ = try await first.value }
        #expect(firstError?.message.contains("0.3 seconds") == true, "\(String(describing: firstError))")
        let secondError = await #expect(throws: ConnectionClosedError.self) { _ = try await second.value }
        #expect(secondError?.cause is TimeoutError)
        // Noticed by the periodic check (every timeout / 4): well before a second timeout has passed.
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(connection.isClosed)
        await #expect(throws: ConnectionClosedError.self) { _ = try await connection.execute("PING") }
    }

    @Test("a per-call limit (withCommandTimeout, execute(timeout:)) on a connection without one")
    func perCall() async throws {
        let silent = try await ScriptedServer(reply: nil)
        defer { Task { await silent.close() } }
        for useExecute in [false, true] {
            let connection = try await createConnection(
                .tcp(host: "127.0.0.1", port: silent.port), commandTimeout: nil)
            let started = ContinuousClock.now
            await #expect(throws: TimeoutError.self) {
                if useExecute {
                    _ = try await connection.execute("GET", arguments: ["k"], timeout: .milliseconds(200))
                } else {
                    _ = try await withCommandTimeout(.milliseconds(200)) { try await connection.execute("GET", "k") }
                }
            }
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(connection.isClosed)
        }
    }

    @Test("a per-call limit reaches Redis's typed methods over a pool, and does not outlive its scope")
    func perCallOnRedis() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), commandTimeout: nil)
        defer { redis.close() }
        let key = uniqueKey()
        try await withCommandTimeout(.seconds(5)) {
            try await redis.set(key, "v")
            #expect(try await redis.get(key) == "v")
        }
        await #expect(throws: InvalidArgumentError.self) {
            try await withCommandTimeout(.zero) { _ = try await redis.get(key) }
        }
        #expect(RedisCommandTimeout.override == nil)
    }

    @Test("a blocking command gets its own timeout plus the command timeout; 0 blocks without a limit")
    func blockingCommands() async throws {
        let connection = try await createConnection(try TestServers.plain(), commandTimeout: .seconds(1))
        defer { connection.close() }
        let key = uniqueKey()
        // BLPOP for 2 s outlives the 1 s command timeout, and answers nil rather than failing.
        let started = ContinuousClock.now
        let reply = try await connection.execute("BLPOP", key, 2)
        #expect(reply == .array(nil) || reply == .null)
        #expect(ContinuousClock.now - started >= .seconds(2))
        #expect(!connection.isClosed)

        let forever = Task { try await connection.execute("BLPOP", key, 0) }
        try await Task.sleep(for: .milliseconds(1700))
        #expect(!connection.isClosed)
        let pusher = try await TestServers.connect()
        defer { pusher.close() }
        _ = try await pusher.execute("RPUSH", key, "x")
        let popped = try await forever.value
        #expect(popped == .array([.bulkString(ByteBuffer(string: key)), .bulkString(ByteBuffer(string: "x"))]))
    }

    @Test("a pool closes and replaces a connection whose reply is overdue; later calls do not queue behind it")
    func poolReplacesHungConnection() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let pool = try await createPool(server.address, minSize: 1, maxSize: 2, commandTimeout: .milliseconds(400))
        defer { pool.close() }
        let (hung, _) = pool.getConnection()
        server.pause()
        let started = ContinuousClock.now
        await #expect(throws: TimeoutError.self) { _ = try await pool.execute("SET", "k", "v") }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(hung?.isClosed == true)
        server.resume()
        // The pool opened a new connection, which answers (given time: the machine may be loaded).
        let pong = try await withTimeLimit {
            try await withCommandTimeout(.seconds(8)) { try await pool.execute("PING", as: String.self) }
        }
        #expect(pong == "PONG")
        #expect(pool.getConnection().0 !== hung)
    }
}
