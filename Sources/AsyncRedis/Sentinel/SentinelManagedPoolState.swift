/// Which node pools a `SentinelManagedPool` sends to, and whether a discovery is under way.
///
/// A value type driven under the managed pool's lock: every transition returns what the caller must do outside
/// it (wait for a discovery, start one, close pools that are no longer used).
struct SentinelManagedPoolState {
    enum Phase {
        /// Nothing discovered yet, or the last discovery failed.
        case idle
        /// A discovery runs; callers await its task. `previous` are the pools it may keep.
        case discovering(Task<[ConnectionsPool], any Error>, previous: [ConnectionsPool])
        /// Commands go to these pools in turn (the master's, or one per healthy replica).
        case ready([ConnectionsPool])
        case closed
    }

    enum Target {
        case use(ConnectionsPool, generation: Int)
        case wait(Task<[ConnectionsPool], any Error>)
        /// Nothing to use and no discovery running: the caller starts one with `discoveryStarted`.
        case discover(previous: [ConnectionsPool])
        case closed
    }

    private(set) var phase: Phase = .idle
    /// Changes whenever the pools in use change, so that a failure seen on an old pool does not trigger a
    /// second discovery after the first already replaced it.
    private(set) var generation = 0
    private var rotation = 0

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    /// The pools currently used, for properties such as `size`.
    var pools: [ConnectionsPool] {
        switch phase {
        case .ready(let pools): return pools
        case .discovering(_, let previous): return previous
        case .idle, .closed: return []
        }
    }

    /// Where the next command goes; replicas are used in turn.
    mutating func target() -> Target {
        switch phase {
        case .ready(let pools):
            rotation &+= 1
            return .use(pools[rotation % pools.count], generation: generation)
        case .discovering(let task, _):
            return .wait(task)
        case .idle:
            return .discover(previous: [])
        case .closed:
            return .closed
        }
    }

    /// A failure on `generation`'s pools asks for a new discovery; `nil` if one already runs or replaced them.
    func recheck(generation failed: Int) -> [ConnectionsPool]? {
        guard case .ready(let pools) = phase, failed == generation else { return nil }
        return pools
    }

    mutating func discoveryStarted(_ task: Task<[ConnectionsPool], any Error>, previous: [ConnectionsPool]) {
        phase = .discovering(task, previous: previous)
    }

    /// Records a discovery's outcome; returns the pools to close.
    ///
    /// When the sentinels cannot be reached at all, the pools in use are kept: the nodes may well be fine.
    mutating func discoveryFinished(_ result: Result<[ConnectionsPool], any Error>) -> [ConnectionsPool] {
        guard case .discovering(_, let previous) = phase else {
            // Closed meanwhile: whatever the discovery opened must go too (closing a pool twice is harmless).
            if case .success(let pools) = result { return pools }
            return []
        }
        switch result {
        case .success(let pools):
            phase = .ready(pools)
            generation += 1
            return previous.filter { old in !pools.contains { $0 === old } }
        case .failure(let error as DiscoveryFailure) where error.error is SentinelUnreachableError && !previous.isEmpty:
            phase = .ready(previous)
            return []
        case .failure:
            phase = .idle
            generation += 1
            return previous
        }
    }

    /// Closes the managed pool; returns every pool to close and the discovery to cancel.
    mutating func close() -> (pools: [ConnectionsPool], discovery: Task<[ConnectionsPool], any Error>?) {
        defer { phase = .closed }
        switch phase {
        case .ready(let pools): return (pools, nil)
        case .discovering(let task, let previous): return (previous, task)
        case .idle, .closed: return ([], nil)
        }
    }
}

/// A discovery that found no usable node: the error to give the caller, and whether waiting may help (a failover
/// in progress) or not (an unknown name, a wrong password).
struct DiscoveryFailure: Error {
    let error: any Error
    let isTransient: Bool

    /// No sentinel named a usable master or replica (as opposed to a node that refused the handshake).
    var isNotFound: Bool { error is MasterNotFoundError || error is SlaveNotFoundError }
}
