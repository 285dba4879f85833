import AsyncRedis
import AsyncRedisTestSupport
import Testing

/// One private server for a whole suite (`@Suite(.privateServer)`): its tests read `SuitePrivateServer.address`.
///
/// For suites whose assertions another suite's commands could break on the shared server: a FLUSHDB there reaches
/// every tracking client as a nil invalidation, say. Started once per suite rather than per test, to stay fast.
struct SuitePrivateServer: SuiteTrait, TestScoping {
    /// The address of the server of the suite running; `nil` outside such a suite.
    @TaskLocal static var current: RedisAddress?

    var isRecursive: Bool { false }

    /// The running suite's server address.
    static var address: RedisAddress {
        get throws {
            guard let current else { throw TestSetupError("the suite has no private server: mark it .privateServer") }
            return current
        }
    }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        try await Self.$current.withValue(server.address, operation: function)
    }
}

extension SuiteTrait where Self == SuitePrivateServer {
    /// Runs the suite against a redis-server of its own (see `SuitePrivateServer`).
    static var privateServer: Self { SuitePrivateServer() }
}
