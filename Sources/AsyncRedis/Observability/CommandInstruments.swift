import CoreMetrics
import Logging
import NIOCore
import Tracing

/// Measures, traces and trace-logs the commands of one connection. A connection has one only when something
/// listens (a metrics backend, a tracer, or a logger at `.trace`): without, its hot path stays untouched.
final class CommandInstruments: Sendable {
    private let metrics: (any MetricsFactory)?
    private let tracer: (any Tracer)?
    private let tracesStatement: Bool
    private let commandLogger: Logger?
    private let serverAddress: String?
    private let serverPort: Int?

    /// `nil` when nothing would record what it measures.
    init?(_ configuration: RedisConnectionConfiguration, logger: Logger, address: RedisAddress) {
        let instrumentation = configuration.instrumentation
        metrics = instrumentation.resolvedMetricsFactory
        tracer = instrumentation.resolvedTracer
        tracesStatement = instrumentation.tracesStatement
        commandLogger = logger.logLevel <= .trace ? logger : nil
        guard metrics != nil || tracer != nil || commandLogger != nil else { return nil }
        switch address.endpoint {
        case .tcp(let host, let port):
            serverAddress = host
            serverPort = port
        case .unix(let path):
            serverAddress = path
            serverPort = nil
        }
    }

    /// What `begin` started for one command or batch; `end` finishes it.
    struct Observation {
        let operation: String
        let start: NIODeadline
        let span: (any Span)?
    }

    // Begin and end, rather than a method wrapping the awaited call in a closure: the closure would capture the
    // command's arguments, and the compiler, unable to prove they do not escape, then allocated every caller's
    // argument array on the heap, observed or not.

    /// Starts observing one command: `argumentCount` is for the statement text; arguments are never read.
    func begin(_ command: String, argumentCount: Int, db: Int) -> Observation {
        let operation = command.uppercased()
        return begin(
            operation: operation, db: db, batchSize: nil,
            statement: { Self.statement(operation, argumentCount: argumentCount) })
    }

    /// Starts observing a pipeline, or a MULTI/EXEC block when it is MULTI ... EXEC: one span and one duration
    /// for all of it.
    func begin(_ commands: [(command: String, arguments: [any RedisArgument])], db: Int) -> Observation {
        let isTransaction =
            commands.count >= 2 && commands.first?.command.uppercased() == "MULTI"
            && commands.last?.command.uppercased() == "EXEC"
        return begin(
            operation: isTransaction ? "MULTI" : "PIPELINE", db: db, batchSize: commands.count,
            statement: {
                commands.map { Self.statement($0.command.uppercased(), argumentCount: $0.arguments.count) }
                    .joined(separator: "; ")
            })
    }

    /// Ends `observation`: `failure` is the thrown error, or a batch's first error reply.
    func end(_ observation: Observation, failure: (any Error)?) {
        finish(observation.operation, start: observation.start, span: observation.span, failure: failure)
    }

    /// Ends a batch's `observation`, failed by its first error reply if any.
    func end(_ observation: Observation, results: [Result<RESPValue, ReplyError>]) {
        var firstError: ReplyError?
        for case .failure(let error) in results {
            firstError = error
            break
        }
        end(observation, failure: firstError)
    }

    private func begin(operation: String, db: Int, batchSize: Int?, statement: () -> String) -> Observation {
        let start = NIODeadline.now()
        let span = tracer.map { tracer in
            startSpan(tracer, operation: operation, db: db, batchSize: batchSize, statement: statement)
        }
        return Observation(operation: operation, start: start, span: span)
    }

    private func startSpan(
        _ tracer: any Tracer, operation: String, db: Int, batchSize: Int?, statement: () -> String
    ) -> any Span {
        let span = tracer.startSpan(operation, context: ServiceContext.current ?? .topLevel, ofKind: .client)
        span.updateAttributes { attributes in
            attributes["db.system.name"] = "redis"
            attributes["db.operation.name"] = operation
            attributes["db.namespace"] = String(db)
            if let serverAddress { attributes["server.address"] = serverAddress }
            if let serverPort { attributes["server.port"] = serverPort }
            if let batchSize { attributes["db.operation.batch.size"] = batchSize }
            if tracesStatement { attributes["db.query.text"] = statement() }
        }
        return span
    }

    private func finish(_ operation: String, start: NIODeadline, span: (any Span)?, failure: (any Error)?) {
        let nanoseconds = (NIODeadline.now() - start).nanoseconds
        let errorType = failure.map(Self.errorType(of:))
        if let span {
            if let failure, let errorType {
                span.recordError(failure)
                span.attributes["error.type"] = errorType
                if let reply = failure as? ReplyError { span.attributes["db.response.status_code"] = reply.code }
                span.setStatus(SpanStatus(code: .error, message: errorType))
            }
            span.end()
        }
        if let metrics {
            let operationDimensions = [RedisMetricNames.system, (RedisMetricNames.operationName, operation)]
            Timer(
                label: RedisMetricNames.operationDuration,
                dimensions: operationDimensions + [(RedisMetricNames.outcome, errorType == nil ? "success" : "failure")],
                factory: metrics
            ).recordNanoseconds(nanoseconds)
            if let errorType {
                Counter(
                    label: RedisMetricNames.operationErrors,
                    dimensions: operationDimensions + [(RedisMetricNames.errorType, errorType)], factory: metrics
                ).increment()
            }
        }
        // Names and codes only: a command's arguments may be secrets (AUTH, HELLO) or values.
        commandLogger?.trace(
            "command finished",
            metadata: [
                "db.operation.name": "\(operation)", "redis.duration_us": "\(nanoseconds / 1000)",
                "outcome": "\(errorType ?? "success")",
            ])
    }

    /// The reply code of a server error (`WRONGTYPE`, `NOSCRIPT`, ...), else the error's type name.
    static func errorType(of error: any Error) -> String {
        if let reply = error as? ReplyError { return reply.code }
        return String(describing: type(of: error))
    }

    /// `SET ? ?`: the command with a placeholder per argument.
    static func statement(_ operation: String, argumentCount: Int) -> String {
        argumentCount == 0 ? operation : operation + String(repeating: " ?", count: argumentCount)
    }
}
