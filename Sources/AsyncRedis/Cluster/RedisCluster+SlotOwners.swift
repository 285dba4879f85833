extension RedisCluster {
    /// Slots may have changed master: tells the observer (a client cache) which masters serve slots now.
    func slotOwnersChanged() {
        guard let observer = slotOwnersObserver.withLockedValue({ $0 }) else { return }
        observer(state.withLockedValue { $0.topology.slotMasters })
    }
}

extension ClusterTopology {
    /// Whether every slot has the same master in `other` (replicas aside).
    func hasSameMasters(as other: ClusterTopology) -> Bool {
        (0..<ClusterKeySlot.slotCount).allSatisfy { master(for: $0) == other.master(for: $0) }
    }

    /// The nodes serving at least one slot, as the layout and the MOVED answers since say.
    var slotMasters: Set<ClusterEndpoint> {
        Set(masters).union(moved.values)
    }
}
