import AsyncRedis
import Testing

/// Runs `body` with a `Redis` on the plain server and closes it afterwards, whatever happened.
/// (Not generic in its result: a generic closure's `throws` would be inferred from its body's syntax, which does
/// not see the `try` inside `#expect(...)`.)
func withRedis(
    db: Int? = nil, encoding: RedisEncoding? = nil, protocolVersion: Int = 2, _ body: (Redis) async throws -> Void
) async throws {
    let redis = try await createRedis(
        try TestServers.plain(), db: db, encoding: encoding, protocolVersion: protocolVersion)
    do {
        try await body(redis)
        redis.close()
    } catch {
        redis.close()
        throw error
    }
}

/// Awaits `operation` and returns the `ReplyError` it threw; records an issue if it threw nothing or something else.
@discardableResult
func expectReplyError(
    code: String, sourceLocation: SourceLocation = #_sourceLocation, _ operation: () async throws -> some Any
) async -> ReplyError? {
    do {
        _ = try await operation()
        Issue.record("expected ReplyError \(code), got a reply", sourceLocation: sourceLocation)
    } catch let error as ReplyError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected ReplyError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Awaits `operation`, expecting `InvalidArgumentError` before anything is sent.
func expectInvalidArgument(
    sourceLocation: SourceLocation = #_sourceLocation, _ operation: () async throws -> some Any
) async {
    do {
        _ = try await operation()
        Issue.record("expected InvalidArgumentError, got a reply", sourceLocation: sourceLocation)
    } catch is InvalidArgumentError {
    } catch {
        Issue.record("expected InvalidArgumentError, got \(error)", sourceLocation: sourceLocation)
    }
}
