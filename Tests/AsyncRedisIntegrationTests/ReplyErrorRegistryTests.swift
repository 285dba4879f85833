import Foundation
import Testing

@testable import AsyncRedis

/// A module's error codes, caught by class (aioredis `MATCH_REPLY`).
final class ModuleTestError: ReplyError, @unchecked Sendable {}

@Suite("Reply error classes")
struct ReplyErrorRegistryTests {
    @Test("XGROUP CREATE of an existing group throws BusyGroupError")
    func busyGroup() async throws {
        try await withConnection { connection in
            let stream = uniqueKey()
            _ = try await connection.execute("XGROUP", "CREATE", stream, "g", "$", "MKSTREAM")
            await #expect(throws: BusyGroupError.self) {
                try await connection.execute("XGROUP", "CREATE", stream, "g", "$", "MKSTREAM")
            }
            _ = try await connection.execute("DEL", stream)
        }
    }

    @Test("a ReplyError subclass registered for a code is what error replies with that code throw")
    func registeredCode() async throws {
        let code = "ASYNCREDISTEST\(UInt32.random(in: 0...UInt32.max))"
        ReplyError.register(ModuleTestError.self, forCode: code)
        defer { ReplyError.unregister(code: code) }
        try await withConnection { connection in
            let script = "return redis.error_reply('\(code) the module refused')"
            do {
                _ = try await connection.execute("EVAL", script, 0)
                Issue.record("expected an error reply")
            } catch let error as ModuleTestError {
                #expect(error.code == code)
                #expect(error.message == "\(code) the module refused")
            }
            // Codes nobody registered stay plain ReplyErrors.
            let other = try await #require(throws: ReplyError.self) {
                try await connection.execute("EVAL", "return redis.error_reply('OTHERCODE x')", 0)
            }
            #expect(!(other is ModuleTestError) && other.code == "OTHERCODE")
        }
    }
}
