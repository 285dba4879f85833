import AsyncRedisTestSupport
import AsyncRedis
import InMemoryTracing
import Testing
import Tracing

/// Every test injects its own `InMemoryTracer` through `RedisInstrumentation`; the global system is untouched.
@Suite("swift-distributed-tracing: client spans with OpenTelemetry database conventions")
struct TracingTests {
    @Test("a command is a client span with the db attributes, under the caller's span")
    func commandSpan() async throws {
        let (tracer, connection) = try await tracedConnection(db: 2)
        defer { connection.close() }
        let key = uniqueKey()
        // The caller's span is the current ServiceContext while the command runs.
        try await tracer.withSpan("handler", ofKind: .server) { _ in
            _ = try await connection.execute("set", key, "secret-value")
        }
        let spans = tracer.finishedSpans
        let set = try #require(spans.first { $0.operationName == "SET" })
        let parent = try #require(spans.first { $0.operationName == "handler" })
        #expect(set.kind == .client)
        #expect(set.parentSpanID == parent.spanID && set.traceID == parent.traceID)
        #expect(set.attributes.get("db.system.name") == .string("redis"))
        #expect(set.attributes.get("db.operation.name") == .string("SET"))
        #expect(set.attributes.get("db.namespace") == .string("2"))
        #expect(set.attributes.get("server.address") == .string(TestServers.host))
        #expect(set.attributes.get("server.port") == .int64(Int64(try TestServers.port())))
        // Statement text is off by default.
        #expect(set.attributes.get("db.query.text") == nil)
        #expect(set.status == nil)
        _ = try await connection.execute("DEL", key)
    }

    @Test("a failed command's span has error status, error.type and the reply code")
    func errorSpan() async throws {
        let (tracer, connection) = try await tracedConnection()
        defer { connection.close() }
        let key = uniqueKey()
        _ = try await connection.execute("SET", key, "x")
        await #expect(throws: ReplyError.self) { try await connection.execute("LPUSH", key, "a") }
        let span = try #require(tracer.finishedSpans.first { $0.operationName == "LPUSH" })
        #expect(span.status?.code == .error)
        #expect(span.attributes.get("error.type") == .string("WRONGTYPE"))
        #expect(span.attributes.get("db.response.status_code") == .string("WRONGTYPE"))
        #expect(span.errors.count == 1)
        _ = try await connection.execute("DEL", key)
    }

    @Test("a pipeline and a MULTI/EXEC block are one span each, with their batch size")
    func batchSpans() async throws {
        let tracer = InMemoryTracer()
        let redis = try await createRedisPool(
            try TestServers.plain(), instrumentation: RedisInstrumentation(tracer: tracer))
        defer { redis.close() }
        let key = uniqueKey()
        _ = try await redis.pipeline([("SET", [key, "1"]), ("INCR", [key]), ("GET", [key])])
        _ = try await redis.multiExec([("INCR", [key]), ("GET", [key])])
        let spans = tracer.finishedSpans
        let pipeline = try #require(spans.first { $0.operationName == "PIPELINE" })
        #expect(pipeline.attributes.get("db.operation.batch.size") == .int64(3))
        #expect(pipeline.attributes.get("db.operation.name") == .string("PIPELINE"))
        let transaction = try #require(spans.first { $0.operationName == "MULTI" })
        // MULTI, the two commands and EXEC.
        #expect(transaction.attributes.get("db.operation.batch.size") == .int64(4))
        #expect(!spans.contains { $0.operationName == "INCR" })
        _ = try await redis.execute("DEL", key)
    }

    @Test("statement text, when turned on, names the commands and hides every argument")
    func statementWithoutValues() async throws {
        let (tracer, connection) = try await tracedConnection(statement: true)
        defer { connection.close() }
        let key = uniqueKey()
        _ = try await connection.execute("SET", key, "secret-value")
        _ = try await connection.executeBatch([("GET", [key]), ("DEL", [key])])
        let spans = tracer.finishedSpans
        #expect(spans.first { $0.operationName == "SET" }?.attributes.get("db.query.text") == .string("SET ? ?"))
        #expect(
            spans.first { $0.operationName == "PIPELINE" }?.attributes.get("db.query.text")
                == .string("GET ?; DEL ?"))
        for span in spans {
            #expect(!"\(span.attributes)".contains("secret-value"))
            #expect(!"\(span.attributes)".contains(key))
        }
    }

    @Test("the handshake's AUTH is traced without its arguments")
    func authSpanHasNoSecret() async throws {
        let tracer = InMemoryTracer()
        let password = try TestServers.authPassword()
        let connection = try await createConnection(
            .tcp(host: TestServers.host, port: try TestServers.authPort()), password: password,
            instrumentation: RedisInstrumentation(tracer: tracer, tracesStatement: true))
        connection.close()
        let auth = try #require(tracer.finishedSpans.first { $0.operationName == "AUTH" })
        #expect(auth.attributes.get("db.query.text") == .string("AUTH ? ?"))
        #expect(!"\(auth.attributes)".contains(password))
    }

    /// A connection to the plain server reporting to a tracer of its own.
    private func tracedConnection(db: Int = 0, statement: Bool = false) async throws
        -> (InMemoryTracer, RedisConnection)
    {
        let tracer = InMemoryTracer()
        let connection = try await createConnection(
            try TestServers.plain(), db: db,
            instrumentation: RedisInstrumentation(tracer: tracer, tracesStatement: statement))
        return (tracer, connection)
    }
}
