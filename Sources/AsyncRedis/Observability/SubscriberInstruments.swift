import CoreMetrics
import Logging
import NIOConcurrencyHelpers
import Synchronization

/// A subscriber's lifecycle log lines, its backlog gauge (sampled) and its reconnection counter.
final class SubscriberInstruments: Sendable {
    let logger: Logger
    private let reconnections: Counter?
    private let backlog: Gauge?
    private let interval: Duration
    private let sampler = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private static let subscriberIDs = Atomic<UInt64>(0)

    init(_ configuration: RedisConnectionConfiguration) {
        let name = "subscriber-\(Self.subscriberIDs.wrappingAdd(1, ordering: .relaxed).newValue)"
        var logger = RedisLogging.logger(configuration.logger, for: configuration.address, db: configuration.db)
        logger[metadataKey: RedisMetricNames.subscriberName] = "\(name)"
        self.logger = logger
        interval = configuration.instrumentation.gaugeInterval
        let metrics = configuration.instrumentation.resolvedMetricsFactory
        reconnections = metrics.map {
            Counter(
                label: RedisMetricNames.reconnections,
                dimensions: [RedisMetricNames.system, (RedisMetricNames.reconnectionKind, "subscriber")], factory: $0)
        }
        backlog = metrics.map {
            Gauge(
                label: RedisMetricNames.pubSubBacklog,
                dimensions: [RedisMetricNames.system, (RedisMetricNames.subscriberName, name)], factory: $0)
        }
    }

    /// Samples the messages `subscriber` (weakly held) has received and not handed out, until it closes.
    func startBacklogGauge(of subscriber: RedisSubscriber) {
        guard let backlog else { return }
        let task = GaugeSampler.start(every: interval, gauges: [backlog]) { [weak subscriber] in
            guard let subscriber, !subscriber.isClosed else { return nil }
            let channels = Array(subscriber.channels.values) + Array(subscriber.patterns.values)
            return [Double(channels.reduce(0) { $0 + $1.bufferedCount })]
        }
        sampler.withLockedValue { $0 = task }
    }

    func stopBacklogGauge() {
        sampler.withLockedValue { $0 }?.cancel()
    }

    func reconnected() {
        reconnections?.increment()
    }
}
