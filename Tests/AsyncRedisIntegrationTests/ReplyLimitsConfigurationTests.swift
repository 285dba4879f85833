import AsyncRedisTestSupport
import Testing

@testable import AsyncRedis

@Suite("Reply limits set on the configuration, against the real server")
struct ReplyLimitsConfigurationTests {
    @Test("a connection and a pool refuse a reply deeper than their configured depth, and close")
    func configuredDepthReachesTheParser() async throws {
        // COMMAND INFO GET answers an array of arrays: two levels at least.
        let configuration = RedisConnectionConfiguration(address: try TestServers.plain(), maximumReplyDepth: 1)
        let connection = try await RedisConnection.connect(configuration)
        defer { connection.close() }
        #expect(try await connection.execute("PING", as: String.self) == "PONG")
        await #expect(throws: ProtocolError.self) { _ = try await connection.execute("COMMAND", "INFO", "GET") }
        try await waitUntil { connection.isClosed }

        let pool = try await createPool(configuration: configuration, minSize: 1, maxSize: 1)
        defer { pool.close() }
        await #expect(throws: ProtocolError.self) { _ = try await pool.execute("COMMAND", "INFO", "GET") }
        // The pool replaces the closed connection: later callers are served.
        #expect(try await withTimeLimit { try await pool.execute("PING", as: String.self) } == "PONG")
    }
}
