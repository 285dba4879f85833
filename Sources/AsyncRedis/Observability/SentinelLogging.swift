import CoreMetrics
import Logging

extension SentinelManagedPool {
    /// The node configuration's logger, naming the monitored name and this pool's role.
    var logger: Logger {
        var logger = sentinel.configuration.node.logger
        logger[metadataKey: "redis.sentinel.name"] = "\(name)"
        logger[metadataKey: "redis.sentinel.role"] = "\(role == .master ? "master" : "replica")"
        return logger
    }

    /// Logs where discovery found the node(s): at info after a failover (a topology change), else at debug.
    func logDiscovery(_ result: Result<[ConnectionsPool], any Error>, afterFailover: Bool) {
        switch result {
        case .success(let pools):
            let nodes = pools.map { "\($0.address)" }.joined(separator: ", ")
            logger.log(
                level: afterFailover ? .info : .debug, "sentinel discovery found the node",
                metadata: ["redis.nodes": "\(nodes)"])
            if afterFailover, let metrics = sentinel.configuration.node.instrumentation.resolvedMetricsFactory {
                Counter(
                    label: RedisMetricNames.reconnections,
                    dimensions: [RedisMetricNames.system, (RedisMetricNames.reconnectionKind, "failover")],
                    factory: metrics
                ).increment()
            }
        case .failure(let error):
            logger.info(
                "sentinel discovery failed",
                metadata: ["error.type": "\(CommandInstruments.errorType(of: error))"])
        }
    }
}
