import Synchronization

/// How many MOVED and ASK answers a cluster client followed since it was created: a rising MOVED count shows a
/// resharding or failover in progress (or a layout the client keeps getting wrong).
public struct RedisClusterRedirectionCounts: Sendable, Equatable {
    /// MOVED answers followed since the cluster was created.
    public var moved: Int
    /// ASK answers followed (ASKING plus the command on the target) since the cluster was created.
    public var ask: Int
}

/// The counters behind `RedisCluster.redirectionCounts`, updated without a lock.
final class ClusterRedirectionCounters: Sendable {
    private let moved = Atomic<Int>(0)
    private let ask = Atomic<Int>(0)

    func record(_ kind: ClusterRedirection.Kind) {
        switch kind {
        case .moved: moved.add(1, ordering: .relaxed)
        case .ask: ask.add(1, ordering: .relaxed)
        }
    }

    var counts: RedisClusterRedirectionCounts {
        RedisClusterRedirectionCounts(moved: moved.load(ordering: .relaxed), ask: ask.load(ordering: .relaxed))
    }
}
