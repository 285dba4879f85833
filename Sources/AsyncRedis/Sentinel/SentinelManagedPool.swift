import NIOConcurrencyHelpers
import NIOCore

/// A pool that follows the master (or the replicas) of a name monitored by Sentinel (aioredis `ManagedPool`).
///
/// It connects on its first command: the sentinels are asked for the node, the node is confirmed with ROLE, and a
/// `ConnectionsPool` to it carries the commands (implicit pipelining included). When that node fails, or a
/// sentinel announces `+switch-master`, the sentinels are asked again and the pool moves to the new node.
///
/// Failover behaviour of `execute`, within `failoverTimeout`:
/// - a call not yet sent waits for a usable node (nothing can have run);
/// - a write refused with `READONLY` by a demoted master is sent again to the new master (it did not run);
/// - a read-only call whose connection was lost is sent again to the new master;
/// - any other call whose connection was lost fails with `ConnectionClosedError`: it may have run.
/// Past `failoverTimeout` the last error is thrown.
public final class SentinelManagedPool: RedisPoolProtocol {
    /// The name the sentinels monitor.
    public let name: String
    public let role: SentinelRole
    let sentinel: SentinelPool
    private let state = NIOLockedValueBox(SentinelManagedPoolState())
    private let leases = NIOLockedValueBox([ObjectIdentifier: ConnectionsPool]())
    /// The pools `close()` closed, for `waitClosed()`.
    private let closedPools = NIOLockedValueBox([ConnectionsPool]())

    init(name: String, role: SentinelRole, sentinel: SentinelPool) {
        self.name = name
        self.role = role
        self.sentinel = sentinel
    }

    private var configuration: SentinelConfiguration { sentinel.configuration }

    public var encoding: RedisEncoding? { configuration.node.encoding }
    public var db: Int { configuration.node.db }
    public var minSize: Int { configuration.minSize }
    public var maxSize: Int { configuration.maxSize }
    public var isClosed: Bool { state.withLockedValue { $0.isClosed } }

    /// The nodes in use now (the master, or each healthy replica); empty before the first command.
    public var nodeAddresses: [RedisAddress] { currentPools.map(\.address) }

    /// The node in use (the first replica for a replica pool); before the first command, an address with an
    /// empty host.
    public var address: RedisAddress { currentPools.first?.address ?? .tcp(host: "", port: 0) }
    /// Connections open to the nodes in use.
    public var size: Int { currentPools.reduce(0) { $0 + $1.size } }
    public var freeSize: Int { currentPools.reduce(0) { $0 + $1.freeSize } }

    private var currentPools: [ConnectionsPool] { state.withLockedValue { $0.pools } }

    public var pubsubChannels: [String: PubSubChannel] { currentPools.first?.pubsubChannels ?? [:] }
    public var pubsubPatterns: [String: PubSubChannel] { currentPools.first?.pubsubPatterns ?? [:] }
    public var inPubSub: Int { currentPools.first?.inPubSub ?? 0 }

    /// A managed pool is made by `SentinelPool.masterFor(_:)` / `slaveFor(_:)`, not from a configuration.
    public static func connect(_ configuration: RedisConnectionConfiguration) async throws -> SentinelManagedPool {
        throw InvalidArgumentError("a SentinelManagedPool comes from createSentinel(...).masterFor(name) or slaveFor(name)")
    }

    // MARK: Executing

    public func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await withFailover(repeatsAfterLoss: RedisCommandTable.traits(command).isRetrySafe) { pool in
            try await pool.execute(command, arguments: arguments)
        }
    }

    /// Runs on the current node's dedicated Pub/Sub connection; it does not follow a failover (its channels
    /// close with the error, so that no message loss is hidden).
    public func executePubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue] {
        try await withFailover(repeatsAfterLoss: false) { pool in
            try await pool.executePubSub(command, channels: channels)
        }
    }

    public func getConnection() -> (RedisConnection?, RedisAddress) {
        guard let pool = currentPools.first else { return (nil, address) }
        return pool.getConnection()
    }

    /// Leases a connection to the current node (waiting through a failover like a command not yet sent).
    public func acquire() async throws -> RedisConnection {
        try await withFailover(repeatsAfterLoss: true) { pool in
            let connection = try await pool.acquire()
            leases.withLockedValue { $0[ObjectIdentifier(connection)] = pool }
            return connection
        }
    }

    public func release(_ connection: RedisConnection) {
        if let pool = leases.withLockedValue({ $0.removeValue(forKey: ObjectIdentifier(connection)) }) {
            pool.release(connection)
        } else {
            connection.close()
        }
    }

    /// Runs `body` with a leased connection and releases it on every path.
    public func withConnection<T: Sendable>(_ body: (RedisConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        defer { release(connection) }
        return try await body(connection)
    }

    /// Runs `body` on the current node's pool, looking for the node again when it fails (see the type's
    /// documentation). `repeatsAfterLoss`: `body` may run again after its connection was lost.
    private func withFailover<T>(repeatsAfterLoss: Bool, _ body: (ConnectionsPool) async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + configuration.failoverTimeout
        var backoff = Backoff()
        while true {
            let pool: ConnectionsPool
            let generation: Int
            do {
                (pool, generation) = try await currentPool()
            } catch let failure as DiscoveryFailure {
                // The discovery already retried what waiting could cure, for up to `failoverTimeout`.
                throw failure.error
            }
            do {
                return try await body(pool)
            } catch let error as ReadOnlyError where role == .master {
                // A demoted master refuses writes before running them: safe to send to the new master.
                recheck(generation: generation)
                guard try await pause(&backoff, before: deadline) else { throw error }
            } catch let error as PoolClosedError where !isClosed {
                // The node's pool was replaced between being chosen and used: nothing was sent.
                guard try await pause(&backoff, before: deadline) else { throw error }
            } catch let error as ConnectionClosedError where !isClosed {
                recheck(generation: generation)
                guard repeatsAfterLoss, try await pause(&backoff, before: deadline) else { throw error }
            }
        }
    }

    /// Sleeps the next backoff step; false if that would pass `deadline`.
    private func pause(_ backoff: inout Backoff, before deadline: ContinuousClock.Instant) async throws -> Bool {
        let delay = backoff.next()
        guard ContinuousClock.now + delay < deadline else { return false }
        try await Task.sleep(for: delay)
        return true
    }

    // MARK: Discovery

    /// The pool to send to, discovering the node first when there is none.
    private func currentPool() async throws -> (ConnectionsPool, generation: Int) {
        while true {
            let target = state.withLockedValue { state -> SentinelManagedPoolState.Target in
                let target = state.target()
                guard case .discover(let previous) = target else { return target }
                let discovery = makeDiscovery(reusing: previous)
                state.discoveryStarted(discovery, previous: previous)
                return .wait(discovery)
            }
            switch target {
            case .use(let pool, let generation):
                return (pool, generation)
            case .wait(let discovery):
                _ = try await discovery.value
            case .discover:
                continue  // turned into `.wait` above
            case .closed:
                throw PoolClosedError("\(role == .master ? "master" : "replica") pool of \(name) is closed")
            }
        }
    }

    /// Asks the sentinels again: after a failure on `generation`'s pools, or when a sentinel announced
    /// `+switch-master` (then `announcedMaster` is tried first: the sentinels that did not lead the failover may
    /// name the old master for a few seconds more, and it keeps answering ROLE as a master until it is
    /// reconfigured).
    func recheck(generation: Int? = nil, announcedMaster: (host: String, port: Int)? = nil) {
        state.withLockedValue { state in
            let failed = generation ?? state.generation
            guard let pools = state.recheck(generation: failed) else { return }
            let discovery = makeDiscovery(reusing: pools, announcedMaster: announcedMaster, afterFailover: true)
            state.discoveryStarted(discovery, previous: pools)
        }
    }

    /// A task that finds the node(s) and records the outcome; pools to nodes still named are kept. A failure that
    /// waiting may cure (a failover in progress) is retried with backoff for up to `failoverTimeout`, so that a
    /// pool rechecked in the background recovers without a caller's help. `afterFailover`: the pool worked before,
    /// so a name without a master or replica is also retried (during a failover the sentinels may list no
    /// replica for a moment); a refused handshake never is.
    private func makeDiscovery(
        reusing previous: [ConnectionsPool], announcedMaster: (host: String, port: Int)? = nil,
        afterFailover: Bool = false
    ) -> Task<[ConnectionsPool], any Error> {
        Task {
            let deadline = ContinuousClock.now + configuration.failoverTimeout
            var backoff = Backoff()
            var result: Result<[ConnectionsPool], any Error>
            repeat {
                result = await discover(reusing: previous, announcedMaster: announcedMaster)
                guard case .failure(let failure as DiscoveryFailure) = result,
                    failure.isTransient || (afterFailover && failure.isNotFound), !isClosed,
                    (try? await pause(&backoff, before: deadline)) == true
                else { break }
            } while true
            let unused = state.withLockedValue { $0.discoveryFinished(result) }
            for pool in unused { pool.close() }
            return try result.get()
        }
    }

    private func discover(reusing previous: [ConnectionsPool], announcedMaster: (host: String, port: Int)?) async
        -> Result<[ConnectionsPool], any Error>
    {
        do {
            switch role {
            case .master:
                if let announcedMaster,
                    case .success(let pool) = await openVerified(announcedMaster.host, announcedMaster.port, reusing: previous)
                {
                    return .success([pool])
                }
                return .success([try await sentinel.discoverMaster(name) { await self.openVerified($0, $1, reusing: previous) }])
            case .replica:
                return .success(try await sentinel.discoverReplicas(name) { await self.openVerified($0, $1, reusing: previous) })
            }
        } catch {
            return .failure(error)
        }
    }

    /// A pool to `host:port` once its node confirms with ROLE that it has this pool's role: the pool in use if it
    /// points there, else a new one.
    ///
    /// ROLE goes over a connection of its own: a pool whose node died would wait for its connection timeout
    /// before failing, where a new connection is refused at once.
    private func openVerified(_ host: String, _ port: Int, reusing previous: [ConnectionsPool]) async
        -> Result<ConnectionsPool, NodeProblem>
    {
        let nodeConfiguration = configuration.nodeConnection(host: host, port: port)
        do {
            let probe = try await RedisConnection.connect(nodeConfiguration)
            defer { probe.close() }
            let reported = try SentinelReplies.role(try await probe.execute("ROLE"))
            guard reported == (role == .master ? "master" : "slave") else { return .failure(.wrongRole(reported)) }
            if let existing = previous.first(where: { $0.address.endpoint == nodeConfiguration.address.endpoint }),
                !existing.isClosed
            {
                return .success(existing)
            }
            let pool = try ConnectionsPool(
                configuration: nodeConfiguration, minSize: configuration.minSize, maxSize: configuration.maxSize,
                createConnectionTimeout: configuration.node.timeout)
            try await pool.fill()
            return .success(pool)
        } catch let error as ReplyError {
            return .failure(.reply(error))
        } catch {
            return .failure(.unreachable(error))
        }
    }

    // MARK: Closing

    /// Closes the pools to the nodes; pending calls fail with `ConnectionForcedCloseError`, later ones with
    /// `PoolClosedError`.
    public func close() {
        let (pools, discovery) = state.withLockedValue { $0.close() }
        closedPools.withLockedValue { $0 += pools }
        discovery?.cancel()
        for pool in pools { pool.close() }
    }

    public func waitClosed() async {
        for pool in closedPools.withLockedValue({ $0 }) { await pool.waitClosed() }
    }
}
