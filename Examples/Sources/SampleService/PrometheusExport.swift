import Metrics
import Prometheus

/// The process's metrics, AsyncRedis's and Hummingbird's, in Prometheus's text format.
struct PrometheusExport: Sendable {
    let registry: PrometheusCollectorRegistry

    /// Bootstraps swift-metrics with a Prometheus factory; OpenTelemetry's dotted names become underscored
    /// (`db.client.operation.duration` is `db_client_operation_duration`), as Prometheus names require.
    static func bootstrap() -> PrometheusExport {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (underscored(name), labels.map { (underscored($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return PrometheusExport(registry: registry)
    }

    func render() -> String {
        registry.emitToString()
    }

    private static func underscored(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" ? $0 : "_" })
    }
}
