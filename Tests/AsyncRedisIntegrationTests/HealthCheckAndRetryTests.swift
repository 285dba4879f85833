import AsyncRedisTestSupport
import Foundation
import NIOCore
import Testing

@testable import AsyncRedis

@Suite("Health checks and retry policies")
struct HealthCheckAndRetryTests {
    // MARK: Health checks

    @Test("an idle connection to a server that went silent is found dead and closed without any call")
    func silentServerDetected() async throws {
        let silent = try await ScriptedServer(reply: nil)
        defer { Task { await silent.close() } }
        let connection = try await createConnection(
            .tcp(host: "127.0.0.1", port: silent.port), commandTimeout: .milliseconds(300),
            healthCheckInterval: .milliseconds(200))
        // The documented bound: about 1.25 × (interval + command timeout), here 625 ms.
        let started = ContinuousClock.now
        while !connection.isClosed, ContinuousClock.now - started < .seconds(5) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(connection.isClosed)
        #expect(ContinuousClock.now - started < .seconds(3))
        let error = await #expect(throws: ConnectionClosedError.self) { _ = try await connection.execute("PING") }
        #expect((error?.cause as? TimeoutError)?.message.contains("health-check PING") == true)
    }

    @Test("health checks keep a connection to a live server open and invisible to its callers")
    func liveServerStaysOpen() async throws {
        let connection = try await createConnection(
            try TestServers.plain(), commandTimeout: .milliseconds(500), healthCheckInterval: .milliseconds(50))
        defer { connection.close() }
        try await Task.sleep(for: .milliseconds(600))
        #expect(!connection.isClosed)
        #expect(!connection.hasAbandonedReplies)
        // A MULTI held open is not disturbed by a PING joining the transaction.
        _ = try await connection.execute("MULTI")
        try await Task.sleep(for: .milliseconds(300))
        _ = try await connection.execute("ECHO", "inside")
        let replies = try await connection.execute("EXEC")
        #expect(replies == .array([.bulkString(ByteBuffer(string: "inside"))]))
    }

    @Test("a pool evicts the connections of a server that stopped answering (SIGSTOP) and recovers after")
    func poolEvictsStoppedServer() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let pool = try await createPool(
            server.address, minSize: 1, maxSize: 2, commandTimeout: .milliseconds(300),
            healthCheckInterval: .milliseconds(200))
        defer { pool.close() }
        let (idle, _) = pool.getConnection()
        server.pause()
        let started = ContinuousClock.now
        while idle?.isClosed == false, ContinuousClock.now - started < .seconds(5) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(idle?.isClosed == true)
        #expect(ContinuousClock.now - started < .seconds(3))
        server.resume()
        let pong = try await withTimeLimit {
            try await withCommandTimeout(.seconds(8)) { try await pool.execute("PING", as: String.self) }
        }
        #expect(pong == "PONG")
    }

    // MARK: Retries

    @Test("the policy's decisions: what is retried, how often, and the backoff")
    func policyDecisions() {
        let policy = RedisRetryPolicy(
            maxAttempts: 3, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300), jitter: 0)
        let lost = ConnectionClosedError("lost")
        #expect(policy.shouldRetry("GET", after: lost, attempt: 1))
        #expect(policy.shouldRetry("get", after: lost, attempt: 2))
        #expect(!policy.shouldRetry("GET", after: lost, attempt: 3))
        #expect(!policy.shouldRetry("INCR", after: lost, attempt: 1))
        #expect(!policy.shouldRetry("GET", after: ConnectionForcedCloseError("closed by close()"), attempt: 1))
        for code in ["LOADING", "BUSY", "TRYAGAIN"] {
            #expect(policy.shouldRetry("INCR", after: ReplyError.make(fromServerMessage: "\(code) later"), attempt: 1))
        }
        #expect(!policy.shouldRetry("GET", after: ReplyError.make(fromServerMessage: "WRONGTYPE no"), attempt: 1))
        #expect(!policy.shouldRetry("GET", after: TimeoutError("late"), attempt: 1))
        #expect(policy.backoff(afterAttempt: 1) == .milliseconds(100))
        #expect(policy.backoff(afterAttempt: 2) == .milliseconds(200))
        #expect(policy.backoff(afterAttempt: 5) == .milliseconds(300))
        let jittered = RedisRetryPolicy(initialBackoff: .milliseconds(100), jitter: 0.5).backoff(afterAttempt: 1)
        #expect(jittered >= .milliseconds(50) && jittered <= .milliseconds(150))

        #expect(RedisRetryPolicy.default.shouldRetry("GET", after: lost, attempt: 1))
        #expect(!RedisRetryPolicy.default.shouldRetry("GET", after: lost, attempt: 2))
        let busy = ReplyError.make(fromServerMessage: "BUSY x")
        #expect(!RedisRetryPolicy.default.shouldRetry("GET", after: busy, attempt: 1))
        #expect(!RedisRetryPolicy.none.shouldRetry("GET", after: lost, attempt: 1))
    }

    @Test("bad policies are refused when the pool is made")
    func invalidPolicy() async throws {
        for policy in [RedisRetryPolicy(maxAttempts: 0), RedisRetryPolicy(jitter: 2)] {
            await #expect(throws: InvalidArgumentError.self) {
                _ = try await createPool(try TestServers.plain(), retryPolicy: policy)
            }
        }
    }

    @Test("BUSY from a running script: retried by a policy that names it, thrown by the default one")
    func busyRetried() async throws {
        // A server of its own: a script that loops blocks every client of the server.
        let server = try await PrivateRedisServer(extraArguments: ["--lua-time-limit", "50"])
        defer { server.stop() }
        let looping = try await createConnection(server.address, commandTimeout: nil)
        defer { looping.close() }
        let admin = try await createConnection(server.address, commandTimeout: nil)
        defer { admin.close() }
        let plain = try await createPool(server.address, minSize: 1, maxSize: 1)
        defer { plain.close() }
        let patient = try await createPool(
            server.address, minSize: 1, maxSize: 1,
            retryPolicy: RedisRetryPolicy(maxAttempts: 50, initialBackoff: .milliseconds(20),
                                          maxBackoff: .milliseconds(100)))
        defer { patient.close() }

        let script = Task { try? await looping.execute("EVAL", "while true do end", 0) }
        // Past the 50 ms limit the server answers BUSY to everyone else.
        try await Task.sleep(for: .milliseconds(300))
        let error = await #expect(throws: ReplyError.self) { _ = try await plain.execute("INCR", "counter") }
        #expect(error?.code == "BUSY")
        let retried = Task { try await patient.execute("INCR", "counter", as: Int.self) }
        try await Task.sleep(for: .milliseconds(300))
        _ = try await admin.execute("SCRIPT", "KILL")
        _ = await script.value
        #expect(try await withTimeLimit { try await retried.value } == 1)
    }
}
