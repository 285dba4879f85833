import CoreMetrics

/// A client cache's counters and its bytes gauge; only built when a metrics backend listens.
final class CacheInstruments: Sendable {
    let hits: Counter
    let misses: Counter
    let invalidations: Counter
    private let bytes: Gauge
    private let interval: Duration

    init?(_ configuration: RedisConnectionConfiguration) {
        guard let factory = configuration.instrumentation.resolvedMetricsFactory else { return nil }
        let dimensions = [RedisMetricNames.system, (RedisMetricNames.cacheName, "\(configuration.address)")]
        hits = Counter(label: RedisMetricNames.cacheHits, dimensions: dimensions, factory: factory)
        misses = Counter(label: RedisMetricNames.cacheMisses, dimensions: dimensions, factory: factory)
        invalidations = Counter(label: RedisMetricNames.cacheInvalidations, dimensions: dimensions, factory: factory)
        bytes = Gauge(label: RedisMetricNames.cacheBytes, dimensions: dimensions, factory: factory)
        interval = configuration.instrumentation.gaugeInterval
    }

    /// Samples `cache.bytes` until the cache closes (weakly held).
    func startGauge(of cache: RedisCache) -> Task<Void, Never> {
        GaugeSampler.start(every: interval, gauges: [bytes]) { [weak cache] in
            guard let cache, !cache.isClosed else { return nil }
            return [Double(cache.bytes)]
        }
    }
}
