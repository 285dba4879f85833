import AsyncRedis
import AsyncRedisTestSupport
import NIOCore
import Testing

/// Replies a real server never sends, from a scripted server: each must fail the caller cleanly and close the
/// connection, never crash the process.
@Suite("Malformed replies from a scripted server")
struct MalformedReplyServerTests {
    private func connect(_ server: ScriptedServer) async throws -> RedisConnection {
        try await createConnection(.tcp(host: "127.0.0.1", port: server.port))
    }

    @Test("a reply nested 100 000 arrays deep fails the call with ProtocolError and closes the connection")
    func deepReply() async throws {
        let server = try await ScriptedServer(reply: nestedArrayBytes(depth: 100_000))
        defer { Task { await server.close() } }
        let connection = try await connect(server)
        let error = await #expect(throws: ProtocolError.self) {
            _ = try await withTimeLimit { try await connection.execute("GET", "k") }
        }
        #expect(error?.message.contains("nested deeper") == true)
        try await waitUntil { connection.isClosed }
    }

    @Test("a 50 000-deep reply decoded as String? fails with ProtocolError")
    func deepReplyAsOptionalString() async throws {
        let server = try await ScriptedServer(reply: nestedArrayBytes(depth: 50_000))
        defer { Task { await server.close() } }
        let redis = Redis(try await connect(server))
        await #expect(throws: ProtocolError.self) {
            _ = try await withTimeLimit { try await redis.execute("GET", "k", as: String?.self) }
        }
    }

    @Test("an unsolicited 30 000-deep reply closes the connection; the call answered before it succeeds")
    func unsolicitedDeepReply() async throws {
        let server = try await ScriptedServer(reply: Array("+PONG\r\n".utf8) + nestedArrayBytes(depth: 30_000))
        defer { Task { await server.close() } }
        let connection = try await connect(server)
        let pong = try await withTimeLimit { try await connection.execute("PING") }
        #expect(pong.string() == "PONG")
        try await waitUntil { connection.isClosed }
        await #expect(throws: ProtocolError.self) { _ = try await connection.execute("PING") }
    }

    @Test("an unsolicited wide reply is quoted as a short preview in the protocol error")
    func unsolicitedWideReply() async throws {
        let wide = "*20000\r\n" + String(repeating: "$5\r\nhello\r\n", count: 20_000)
        let server = try await ScriptedServer(reply: Array(("+PONG\r\n" + wide).utf8))
        defer { Task { await server.close() } }
        let connection = try await connect(server)
        _ = try await withTimeLimit { try await connection.execute("PING") }
        try await waitUntil { connection.isClosed }
        let error = await #expect(throws: ProtocolError.self) { _ = try await connection.execute("PING") }
        #expect(error?.message.contains("no command was waiting") == true)
        #expect((error?.message.count ?? .max) < 400)
    }

    @Test("a header line without CRLF fails with ProtocolError once it passes the line limit")
    func endlessLine() async throws {
        let endless = [UInt8(ascii: "+")] + Array(repeating: UInt8(ascii: "a"), count: 1 << 20)
        let server = try await ScriptedServer(reply: endless)
        defer { Task { await server.close() } }
        let connection = try await connect(server)
        let error = await #expect(throws: ProtocolError.self) {
            _ = try await withTimeLimit { try await connection.execute("PING") }
        }
        #expect(error?.message.contains("header line longer than 65536") == true)
        try await waitUntil { connection.isClosed }
    }
}
