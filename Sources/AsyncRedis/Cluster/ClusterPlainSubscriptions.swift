import NIOConcurrencyHelpers
import NIOCore

/// Plain SUBSCRIBE and PSUBSCRIBE on a cluster: every node relays every message, so one connection to any node
/// is enough. It is a connection of its own (not a node pool's Pub/Sub connection, which carries shard channels
/// that must close with it), and it outlives its node: when it is lost (the node died, failed over, or left),
/// the channels stay open, the layout is read again, and the same channel objects are subscribed on another node,
/// each told of the gap by a message of kind `.resubscribed`, as a resubscribing `RedisSubscriber` does.
/// When no node takes them within the cluster's `retryTimeout`, the channels close with the last error.
final class ClusterPlainSubscriptions: Sendable {
    private struct State {
        var connection: RedisConnection?
        var endpoint: ClusterEndpoint?
        /// The one connection being opened (by a caller or after a loss); others wait for it.
        var opening: Task<RedisConnection, any Error>?
        /// The channels and patterns subscribed through this client: kept across connections, subscribed again on
        /// the next one.
        var wanted = SubscriptionTable()
        var isClosed = false
    }

    private let state = NIOLockedValueBox(State())

    var channels: [String: PubSubChannel] { state.withLockedValue { $0.wanted.channels } }
    var patterns: [String: PubSubChannel] { state.withLockedValue { $0.wanted.patterns } }
    var count: Int { state.withLockedValue { $0.wanted.count } }
    /// The node the subscription connection is on (nil before the first subscription).
    var endpoint: ClusterEndpoint? { state.withLockedValue { $0.endpoint } }

    /// SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE or PUNSUBSCRIBE on the subscription connection, opened on first use.
    func execute(_ command: String, channels targets: [any PubSubTarget], cluster: RedisCluster) async throws
        -> [RESPValue]
    {
        guard let kind = PubSubCommandKind(command: command) else {
            throw InvalidArgumentError("\(command) is not a Pub/Sub command")
        }
        let connection = try await connection(cluster: cluster)
        let names = targets.map(\.pubSubName)
        if !kind.subscribes {
            // Forgotten first, so that a loss meanwhile does not subscribe them again.
            state.withLockedValue { state in
                for name in names { state.wanted[SubscriptionFamily(kind), name] = nil }
            }
        }
        let confirmations = try await connection.executePubSub(command, channels: targets)
        if kind.subscribes {
            let subscribed = kind.isPattern ? connection.pubsubPatterns : connection.pubsubChannels
            state.withLockedValue { state in
                for name in names {
                    guard let channel = subscribed[name] else { continue }
                    state.wanted[SubscriptionFamily(kind), name] = channel
                }
            }
        }
        return confirmations
    }

    func close() {
        let (connection, opening, channels) = state.withLockedValue { state in
            state.isClosed = true
            return (state.connection, state.opening, state.wanted.removeAll())
        }
        opening?.cancel()
        connection?.close()
        for channel in channels { channel.close() }
    }

    func waitClosed() async {
        await state.withLockedValue { $0.connection }?.waitClosed()
    }

    // MARK: Connection

    /// The open subscription connection, or the one being opened.
    private func connection(cluster: RedisCluster) async throws -> RedisConnection {
        let opening = try state.withLockedValue { state -> Task<RedisConnection, any Error>? in
            guard !state.isClosed else { throw PoolClosedError("the cluster client is closed") }
            if let connection = state.connection, !connection.isClosed { return nil }
            if let opening = state.opening { return opening }
            // A lost connection whose loss is not handled yet: its channels get their gap marker all the same.
            let afterLoss = state.connection != nil
            let task = Task { try await self.open(cluster: cluster, afterLoss: afterLoss) }
            state.opening = task
            return task
        }
        if let opening { return try await opening.value }
        guard let connection = state.withLockedValue({ $0.connection }) else {
            throw PoolClosedError("the cluster client is closed")
        }
        return connection
    }

    /// Connects to a node of the layout (the one lost last is tried last), subscribes every registered channel
    /// and pattern again, and installs the connection. After a loss it keeps trying, with backoff, for the
    /// cluster's `retryTimeout`; a caller's first subscription tries each node once.
    private func open(cluster: RedisCluster, afterLoss: Bool) async throws -> RedisConnection {
        defer { state.withLockedValue { $0.opening = nil } }
        var retry = ClusterRetryClock(timeout: cluster.configuration.retryTimeout)
        while true {
            do {
                let (connection, endpoint) = try await connectToSomeNode(cluster: cluster)
                do {
                    return try await install(connection, endpoint: endpoint, cluster: cluster, afterLoss: afterLoss)
                } catch {
                    connection.close()
                    throw error
                }
            } catch {
                guard afterLoss, !cluster.isClosed, !state.withLockedValue(\.isClosed), try await retry.pause()
                else { throw error }
            }
        }
    }

    private func connectToSomeNode(cluster: RedisCluster) async throws -> (RedisConnection, ClusterEndpoint) {
        let lost = state.withLockedValue { $0.endpoint }
        if lost != nil { try? await cluster.refreshTopology() }
        let layout = cluster.state.withLockedValue { $0.topology }
        var candidates = layout.masters + layout.shards.flatMap(\.replicas)
        if let lost, let index = candidates.firstIndex(of: lost) { candidates.append(candidates.remove(at: index)) }
        var failures: [String] = []
        for endpoint in candidates {
            var configuration = cluster.configuration.nodeConnection(endpoint)
            configuration.sendsReadOnly = false
            configuration.timeout = min(
                configuration.timeout ?? ClusterConfiguration.nodeConnectTimeout, ClusterConfiguration.nodeConnectTimeout)
            do {
                return (try await RedisConnection.connect(configuration), endpoint)
            } catch {
                failures.append("\(endpoint): \(error)")
            }
        }
        throw ClusterNodeUnavailableError(
            "no cluster node took the Pub/Sub connection: " + (failures.isEmpty ? "no node known" : failures.joined(separator: "; ")))
    }

    private func install(
        _ connection: RedisConnection, endpoint: ClusterEndpoint, cluster: RedisCluster, afterLoss: Bool
    ) async throws -> RedisConnection {
        let channels = state.withLockedValue { $0.wanted.all.filter(\.isActive) }
        try await Resubscription.subscribe(channels, on: connection)
        let closedMeanwhile = state.withLockedValue { state -> Bool in
            guard !state.isClosed else { return true }
            state.connection = connection
            state.endpoint = endpoint
            return false
        }
        guard !closedMeanwhile else { throw PoolClosedError("the cluster client is closed") }
        if afterLoss { Resubscription.announceGap(on: channels) }
        connection.channel.closeFuture.whenComplete { [weak cluster] _ in
            guard let cluster else { return }
            self.connectionLost(connection, cluster: cluster)
        }
        return connection
    }

    /// Subscribes the registered channels on another node, or closes them when none takes them in time.
    private func connectionLost(_ connection: RedisConnection, cluster: RedisCluster) {
        let task = state.withLockedValue { state -> Task<RedisConnection, any Error>? in
            guard !state.isClosed, state.connection === connection, state.opening == nil else { return nil }
            guard !state.wanted.isEmpty else { return nil }
            let task = Task { try await self.open(cluster: cluster, afterLoss: true) }
            state.opening = task
            return task
        }
        guard let task else { return }
        cluster.scheduleRefresh()
        Task {
            guard case .failure(let error) = await task.result else { return }
            let channels = state.withLockedValue { $0.wanted.removeAll() }
            for channel in channels { channel.close(error: error) }
        }
    }
}
