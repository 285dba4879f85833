import CoreMetrics

/// Reports gauges by sampling: a pool's counts change on every lease, so reading them on a timer keeps the
/// command path free of metrics work.
enum GaugeSampler {
    /// Every `interval`, records what `sample` returns into `gauges` (same order); once `sample` returns `nil`
    /// (its subject closed or went away) the gauges are set to zero and sampling ends. Cancel the task to stop.
    static func start(
        every interval: Duration, gauges: [Gauge], sample: @escaping @Sendable () -> [Double]?
    ) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                guard let values = sample() else { break }
                for (gauge, value) in zip(gauges, values) { gauge.record(value) }
                try? await Task.sleep(for: interval)
            }
            for gauge in gauges { gauge.record(0) }
        }
    }
}
