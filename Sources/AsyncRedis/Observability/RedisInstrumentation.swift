import CoreMetrics
import Tracing

/// Where AsyncRedis reports metrics and spans, and how much a span says.
///
/// By default both follow the process-wide systems (`MetricsSystem.bootstrap`, `InstrumentationSystem.bootstrap`).
/// While those are the no-op defaults, commands are not measured at all: the hot path then costs one `nil` check.
/// A factory or tracer given here wins over the global one (tests inject in-memory ones this way).
public struct RedisInstrumentation: Sendable {
    /// The metrics backend; `nil`: `MetricsSystem.factory`, when one was bootstrapped.
    public var metricsFactory: (any MetricsFactory)?
    /// The tracer; `nil`: `InstrumentationSystem.tracer`, when one was bootstrapped.
    public var tracer: (any Tracer)?
    /// Puts `db.query.text` on spans: the command names with `?` for every argument (`SET ? ?`), never a value.
    /// Off by default.
    public var tracesStatement: Bool
    /// How often the pool and Pub/Sub gauges are sampled (1 s by default).
    public var gaugeInterval: Duration

    /// Instrumentation reporting to `metricsFactory` and `tracer` (the global systems when `nil`).
    public init(
        metricsFactory: (any MetricsFactory)? = nil, tracer: (any Tracer)? = nil, tracesStatement: Bool = false,
        gaugeInterval: Duration = .seconds(1)
    ) {
        self.metricsFactory = metricsFactory
        self.tracer = tracer
        self.tracesStatement = tracesStatement
        self.gaugeInterval = gaugeInterval
    }

    /// The global systems, with no statement text.
    public static var `default`: RedisInstrumentation { RedisInstrumentation() }

    /// The factory to report to, or `nil` when metrics would go nowhere.
    var resolvedMetricsFactory: (any MetricsFactory)? {
        let factory = metricsFactory ?? MetricsSystem.factory
        return factory is NOOPMetricsHandler ? nil : factory
    }

    /// The tracer to report to, or `nil` when spans would go nowhere.
    var resolvedTracer: (any Tracer)? {
        let tracer = tracer ?? InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }

    func validate() throws {
        guard gaugeInterval > .zero else {
            throw InvalidArgumentError("gaugeInterval must be > 0, got \(gaugeInterval)")
        }
    }
}
