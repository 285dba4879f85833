import CoreMetrics
import Logging
import NIOConcurrencyHelpers

/// A pool's lifecycle log lines, its gauges (sampled: see `GaugeSampler`) and its reconnection counter.
final class PoolInstruments: Sendable {
    let logger: Logger
    private let reconnections: Counter?
    private let metrics: (any MetricsFactory)?
    private let poolName: String
    private let interval: Duration
    private let sampler = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(_ configuration: RedisConnectionConfiguration) {
        poolName = "\(configuration.address)"
        var logger = RedisLogging.logger(configuration.logger, for: configuration.address, db: configuration.db)
        logger[metadataKey: RedisMetricNames.poolName] = "\(poolName)"
        self.logger = logger
        metrics = configuration.instrumentation.resolvedMetricsFactory
        interval = configuration.instrumentation.gaugeInterval
        reconnections = metrics.map {
            Counter(
                label: RedisMetricNames.reconnections,
                dimensions: [RedisMetricNames.system, (RedisMetricNames.reconnectionKind, "pool")], factory: $0)
        }
    }

    /// Starts sampling `pool`'s gauges (weakly held) until it closes.
    func startGauges(of pool: ConnectionsPool, maxSize: Int) {
        guard let metrics else { return }
        let gauge = { (label: String, extra: [(String, String)]) in
            Gauge(
                label: label, dimensions: [RedisMetricNames.system, (RedisMetricNames.poolName, self.poolName)] + extra,
                factory: metrics)
        }
        let gauges = [
            gauge(RedisMetricNames.connectionCount, [(RedisMetricNames.connectionState, "idle")]),
            gauge(RedisMetricNames.connectionCount, [(RedisMetricNames.connectionState, "used")]),
            gauge(RedisMetricNames.poolSize, []),
            gauge(RedisMetricNames.pendingRequests, []),
        ]
        gauge(RedisMetricNames.connectionMax, []).record(maxSize)
        let task = GaugeSampler.start(every: interval, gauges: gauges) { [weak pool] in
            guard let pool, let counts = pool.gaugeCounts else { return nil }
            return [Double(counts.free), Double(counts.size - counts.free), Double(counts.size), Double(counts.waiters)]
        }
        sampler.withLockedValue { $0 = task }
    }

    func stopGauges() {
        sampler.withLockedValue { $0 }?.cancel()
    }

    /// A connection replaces one that was lost.
    func reconnected() {
        reconnections?.increment()
    }
}

extension ConnectionsPool {
    /// The counts the gauges report, read under one lock; `nil` once the pool is closed.
    var gaugeCounts: (size: Int, free: Int, waiters: Int)? {
        state.withLockedValue { state in
            state.machine.isClosed ? nil : (state.machine.size, state.machine.freeSize, state.machine.waiterCount)
        }
    }
}
