import NIOConcurrencyHelpers
import NIOCore

/// A client of a Redis Cluster (`createCluster`): it reads the cluster's layout, keeps one pool per node and
/// sends each command to the node serving its keys' slot. Wrap it in `Redis` for every command:
/// `Redis(cluster)`, or `createRedisCluster(...)`.
///
/// Routing (see `ClusterRouting`): by the CRC16 slot of the keys, `{hash tags}` included; keys in several slots
/// fail with `CrossSlotError` before anything is sent. Commands meant for the whole cluster (DBSIZE, KEYS, SCAN,
/// FLUSHALL, SCRIPT LOAD, ...) go to every master; other keyless ones to one master.
///
/// Redirections and failures, each bounded:
/// - MOVED: the slot is sent to the named node at once, and the layout is read again in the background (at most
///   once per `refreshInterval`);
/// - ASK: ASKING and the command go to the named node once, the layout is kept;
/// - at most `maxRedirections` MOVED/ASK per command, then `ClusterRedirectionError`;
/// - TRYAGAIN and CLUSTERDOWN (nothing ran): retried with backoff for up to `retryTimeout`, then thrown;
/// - a lost connection or an unreachable node reads the layout again; a command that cannot have run (the node
///   could not be reached) and a read-only one are retried with backoff for up to `retryTimeout`; any other
///   command fails with the `ConnectionClosedError`, since it may have run.
public final class RedisCluster: RedisConnectionProtocol {
    let configuration: ClusterConfiguration
    let state = NIOLockedValueBox(ClusterClientState())
    let redirectionCounters = ClusterRedirectionCounters()
    /// SUBSCRIBE and PSUBSCRIBE, on a connection of their own that follows node loss.
    let plainSubscriptions = ClusterPlainSubscriptions()
    /// Told, with the masters now serving slots, when slots may have changed master (a client cache, whose
    /// entries the old masters tracked): see `slotOwnersChanged()`.
    let slotOwnersObserver = NIOLockedValueBox<(@Sendable (Set<ClusterEndpoint>) -> Void)?>(nil)

    init(configuration: ClusterConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    public var encoding: RedisEncoding? { configuration.node.encoding }
    /// Always 0: a cluster has one database.
    public var db: Int { 0 }
    /// Which nodes serve read-only commands, as `createCluster(readFrom:)` set it.
    public var readFrom: RedisReadFrom { configuration.readFrom }
    public var isClosed: Bool { state.withLockedValue { $0.isClosed } }

    /// The first master's address (or the first seed's before the layout is known).
    public var address: RedisAddress {
        guard let master = state.withLockedValue({ $0.topology.masters.first }) else { return configuration.seeds[0] }
        return configuration.nodeConnection(master).address
    }

    /// How many MOVED and ASK answers this client followed.
    public var redirectionCounts: RedisClusterRedirectionCounts { redirectionCounters.counts }

    /// The nodes of the layout read last: masters with their slots, and their healthy replicas.
    public var nodes: [RedisClusterNode] { state.withLockedValue { $0.topology.nodes } }

    /// The slot of `key` (CRC16 modulo 16384 of the key, or of its `{hash tag}`), as `CLUSTER KEYSLOT` answers.
    public func keySlot(_ key: String) -> Int {
        ClusterKeySlot.slot(of: key)
    }

    /// The slot of a key given as bytes or any other argument.
    public func keySlot(_ key: some RedisArgument) -> Int {
        ClusterKeySlot.slot(of: key)
    }

    /// A cluster comes from `createCluster(...)`, not from one address.
    public static func connect(_ configuration: RedisConnectionConfiguration) async throws -> RedisCluster {
        throw InvalidArgumentError("a RedisCluster comes from createCluster(_:...)")
    }

    // MARK: Nodes

    /// The pool to `endpoint`, opened on first use (its connections open as commands need them).
    func pool(for endpoint: ClusterEndpoint) throws -> ConnectionsPool {
        try state.withLockedValue { state in
            guard !state.isClosed else { throw PoolClosedError("the cluster client is closed") }
            if let pool = state.pools[endpoint], !pool.isClosed { return pool }
            let pool = try ConnectionsPool(
                configuration: configuration.nodeConnection(endpoint), minSize: configuration.minSize,
                maxSize: configuration.maxSize,
                createConnectionTimeout: min(
                    configuration.node.timeout ?? ClusterConfiguration.nodeConnectTimeout,
                    ClusterConfiguration.nodeConnectTimeout),
                // Retries are the cluster's: after a failure the right node may be another one.
                retryPolicy: .none, sharedSpread: ClusterConfiguration.sharedConnectionsPerNode)
            state.pools[endpoint] = pool
            if configuration.minSize > 0 {
                // A failure closes the pool; the next command to the node opens another.
                Task { try? await pool.fill() }
            }
            return pool
        }
    }

    /// The masters serving slots, in slot order.
    var masters: [ClusterEndpoint] { state.withLockedValue { $0.topology.masters } }

    // MARK: Layout

    /// Reads the layout again now (or waits for the refresh already running) and moves to it.
    public func refreshTopology() async throws {
        let task = state.withLockedValue { state -> Task<Void, any Error>? in
            guard !state.isClosed else { return nil }
            if let running = state.refresh { return running }
            let task = makeRefresh(after: .zero)
            state.refresh = task
            return task
        }
        guard let task else { throw PoolClosedError("the cluster client is closed") }
        try await task.value
    }

    /// Asks for a refresh in the background: none starts while one runs, and two start at least
    /// `refreshInterval` apart.
    func scheduleRefresh() {
        state.withLockedValue { state in
            guard !state.isClosed, state.refresh == nil else { return }
            var delay = Duration.zero
            if let last = state.lastRefresh {
                delay = max(.zero, last + configuration.refreshInterval - .now)
            }
            state.refresh = makeRefresh(after: delay)
        }
    }

    private func makeRefresh(after delay: Duration) -> Task<Void, any Error> {
        Task {
            defer {
                state.withLockedValue {
                    $0.refresh = nil
                    $0.lastRefresh = .now
                }
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            let topology = try await readTopology()
            let (unused, mastersChanged) = state.withLockedValue { state -> ([ConnectionsPool], Bool) in
                guard !state.isClosed else { return ([], false) }
                let changed = !state.topology.hasSameMasters(as: topology)
                return (state.install(topology), changed)
            }
            for pool in unused { pool.close() }
            if mastersChanged { slotOwnersChanged() }
        }
    }

    /// Asks the known nodes (masters first), then the seeds, until one answers with a layout.
    private func readTopology() async throws -> ClusterTopology {
        let known = state.withLockedValue { state in
            state.topology.masters + state.topology.shards.flatMap(\.replicas)
        }
        var candidates = known.map { configuration.nodeConnection($0) }
        candidates += configuration.seeds.map { configuration.seedConnection($0) }
        var failures: [String] = []
        for var candidate in candidates {
            candidate.sendsReadOnly = false
            candidate.timeout = candidate.timeout ?? ClusterConfiguration.nodeConnectTimeout
            do {
                let shards = try await ClusterTopologyReader.read(candidate)
                if !shards.isEmpty { return ClusterTopology(shards: shards) }
                failures.append("\(candidate.address.endpointDescription): no slots assigned")
            } catch {
                failures.append("\(candidate.address.endpointDescription): \(error)")
            }
        }
        throw ClusterNodeUnavailableError("no cluster node answered with the layout: " + failures.joined(separator: "; "))
    }

    // MARK: Closing

    /// Closes every node's pool; pending calls fail with `ConnectionForcedCloseError`, later ones with
    /// `PoolClosedError`.
    public func close() {
        let (pools, refresh) = state.withLockedValue { $0.close() }
        refresh?.cancel()
        plainSubscriptions.close()
        for pool in pools { pool.close() }
    }

    public func waitClosed() async {
        for pool in state.withLockedValue({ $0.closedPools }) { await pool.waitClosed() }
        await plainSubscriptions.waitClosed()
    }
}

/// One question for the layout, on a connection of its own: a pool to a dead node would wait for its connect
/// timeout, where a new connection is refused at once.
enum ClusterTopologyReader {
    static func read(_ configuration: RedisConnectionConfiguration) async throws -> [ClusterShard] {
        let connection = try await RedisConnection.connect(configuration)
        defer { connection.close() }
        let host = configuration.address.host ?? ""
        do {
            return try ClusterTopologyReplies.shards(
                try await connection.execute("CLUSTER", arguments: ["SHARDS"]), askedHost: host,
                useTLS: configuration.tls != nil)
        } catch let error as ReplyError where error.code == "ERR" && !error.message.contains("cluster support disabled") {
            // Redis 6.2 has no CLUSTER SHARDS.
            return try ClusterTopologyReplies.slots(
                try await connection.execute("CLUSTER", arguments: ["SLOTS"]), askedHost: host)
        }
    }
}

extension RedisAddress {
    /// host:port or the socket path, never the credentials.
    var endpointDescription: String {
        switch endpoint {
        case .tcp(let host, let port): return "\(host):\(port)"
        case .unix(let path): return path
        }
    }
}
