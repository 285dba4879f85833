import NIOConcurrencyHelpers
import NIOCore

/// The connections to a group of sentinels, and the managed pools that follow the nodes they monitor
/// (aioredis `SentinelPool`).
///
/// Sentinels are asked in turn; the first that answers moves to the front, so later questions go to it first.
/// The other sentinels of a master are learned with `SENTINEL SENTINELS`. A listener subscribed to
/// `+switch-master` on one sentinel makes the managed pools look for the new master as soon as a failover
/// completes, before the next command meets the old one.
public final class SentinelPool: RedisCommandExecutor {
    /// Bound on connecting to one sentinel when no `timeout` was given: an unreachable sentinel must not hold
    /// up asking the next one for long.
    static let defaultSentinelTimeout: Duration = .seconds(2)
    /// Pause before the `+switch-master` listener tries the next sentinel after losing its subscription.
    static let listenerRetryDelay: Duration = .milliseconds(500)

    /// How the nodes' replies are decoded as `String` when a call does not say.
    public var encoding: RedisEncoding? { configuration.node.encoding }
    let configuration: SentinelConfiguration
    private let state: NIOLockedValueBox<State>
    private let closedPromise: EventLoopPromise<Void>

    private struct State {
        /// The sentinels in the order they are asked.
        var sentinels: [RedisAddress]
        /// One connection per sentinel asked so far, for queries (never subscribed).
        var connections: [RedisAddress: RedisConnection] = [:]
        var managed: [ManagedKey: SentinelManagedPool] = [:]
        /// The subscribed connection of the `+switch-master` listener.
        var listenerConnection: RedisConnection?
        var listener: Task<Void, Never>?
        var isClosed = false
    }

    struct ManagedKey: Hashable {
        let name: String
        let role: SentinelRole
    }

    init(sentinels: [RedisAddress], configuration: SentinelConfiguration) throws {
        guard !sentinels.isEmpty else { throw InvalidArgumentError("at least one sentinel address is needed") }
        for address in sentinels { _ = try address.validated() }
        try configuration.validate()
        self.configuration = configuration
        self.state = NIOLockedValueBox(State(sentinels: sentinels))
        self.closedPromise = configuration.node.eventLoopGroup.any().makePromise()
    }

    /// NIO traps on a promise dropped unfulfilled: a pool released without `close()` must not crash.
    deinit {
        closedPromise.succeed()
    }

    /// The sentinels in the order they are asked now: the last one that answered first.
    public var sentinels: [RedisAddress] { state.withLockedValue { $0.sentinels } }
    /// True once `close()` was called.
    public var isClosed: Bool { state.withLockedValue { $0.isClosed } }

    // MARK: Managed pools

    /// The pool that follows the current master of `name` (one per name, created on first use; connects on its
    /// first command).
    public func masterFor(_ name: String) -> SentinelManagedPool {
        managedPool(name, role: .master)
    }

    /// The pool over the healthy replicas of `name`, used in turn.
    public func slaveFor(_ name: String) -> SentinelManagedPool {
        managedPool(name, role: .replica)
    }

    private func managedPool(_ name: String, role: SentinelRole) -> SentinelManagedPool {
        let (pool, startListener) = state.withLockedValue { state -> (SentinelManagedPool, Bool) in
            let key = ManagedKey(name: name, role: role)
            if let existing = state.managed[key] { return (existing, false) }
            let created = SentinelManagedPool(name: name, role: role, sentinel: self)
            if state.isClosed {
                created.close()
            } else {
                state.managed[key] = created
            }
            return (created, !state.isClosed && state.listener == nil)
        }
        if startListener { startSwitchMasterListener() }
        return pool
    }

    // MARK: Executing on a sentinel

    /// Runs a command on the first sentinel that can be reached. A command is sent to a second sentinel only
    /// if the first could not be connected to; one whose connection is lost mid-call fails with
    /// `ConnectionClosedError`.
    public func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        let reply = try await firstAnswer(repeatsLostQuestion: false) { connection in
            try await connection.execute(command, arguments: arguments)
        }
        guard let reply else { throw SentinelUnreachableError([]) }  // `ask` always answers: unreachable in practice
        return reply
    }

    /// Asks the sentinels in turn until `ask` returns an answer; the sentinel that gave it moves to the front.
    ///
    /// - Parameter repeatsLostQuestion: whether a question whose connection was lost is asked of the next
    ///   sentinel (true for discovery's read-only questions; a user's command may have run).
    /// - Returns: the answer, or `nil` if every reachable sentinel was asked and none had one.
    /// - Throws: `SentinelUnreachableError` if no sentinel could be reached; `PoolClosedError` once closed; an
    ///   error `ask` throws.
    func firstAnswer<T>(repeatsLostQuestion: Bool = true, _ ask: (RedisConnection) async throws -> T?) async throws
        -> T?
    {
        let order = try state.withLockedValue { state -> [RedisAddress] in
            if state.isClosed { throw PoolClosedError("sentinel pool is closed") }
            return state.sentinels
        }
        var failures: [(address: RedisAddress, error: any Error)] = []
        for address in order {
            let connection: RedisConnection
            do {
                connection = try await sentinelConnection(address)
            } catch let error as PoolClosedError {
                throw error
            } catch {
                failures.append((address, error))
                continue
            }
            do {
                guard let answer = try await ask(connection) else { continue }
                moveToFront(address)
                return answer
            } catch let error as ConnectionClosedError {
                if isClosed { throw PoolClosedError("sentinel pool is closed") }
                // The sentinel went away under the question: forget its connection, ask the next one.
                forget(connection, of: address)
                guard repeatsLostQuestion else { throw error }
                failures.append((address, error))
            }
        }
        if failures.count == order.count { throw SentinelUnreachableError(failures) }
        return nil
    }

    /// The open query connection to a sentinel, connecting if there is none.
    private func sentinelConnection(_ address: RedisAddress) async throws -> RedisConnection {
        let cached = try state.withLockedValue { state -> RedisConnection? in
            if state.isClosed { throw PoolClosedError("sentinel pool is closed") }
            return state.connections[address].flatMap { $0.isClosed ? nil : $0 }
        }
        if let cached { return cached }
        let opened = try await RedisConnection.connect(configuration.sentinelConnection(address))
        let (kept, extra) = state.withLockedValue { state -> (RedisConnection, RedisConnection?) in
            if state.isClosed { return (opened, opened) }
            if let raced = state.connections[address], !raced.isClosed { return (raced, opened) }
            state.connections[address] = opened
            return (opened, nil)
        }
        extra?.close()
        if kept === extra { throw PoolClosedError("sentinel pool is closed") }
        return kept
    }

    private func forget(_ connection: RedisConnection, of address: RedisAddress) {
        state.withLockedValue { state in
            if state.connections[address] === connection { state.connections[address] = nil }
        }
        connection.close()
    }

    private func moveToFront(_ address: RedisAddress) {
        state.withLockedValue { state in
            guard let index = state.sentinels.firstIndex(of: address), index > 0 else { return }
            state.sentinels.insert(state.sentinels.remove(at: index), at: 0)
        }
    }

    /// Adds the sentinels that monitor `name` which are not known yet (`SENTINEL SENTINELS`), at the end.
    func learnSentinels(of name: String, from connection: RedisConnection) async {
        guard let reply = try? await connection.execute("SENTINEL", "SENTINELS", name),
            let peers = try? [RESPValue](fromRESP: reply, encoding: .utf8)
        else { return }
        let announced = peers.compactMap { peer -> RedisAddress? in
            guard let fields = try? SentinelReplies.fields(peer), let node = SentinelReplies.hostAndPort(fields)
            else { return nil }
            return .tcp(host: node.host, port: node.port)
        }
        state.withLockedValue { state in
            for address in announced where !state.sentinels.contains(where: { $0.endpoint == address.endpoint }) {
                state.sentinels.append(address)
            }
        }
    }

    // MARK: The +switch-master listener

    /// Subscribes to `+switch-master` on one sentinel after another, for as long as the pool is open, and makes
    /// the managed pools of the named master look for it again.
    private func startSwitchMasterListener() {
        let task = Task { [weak self] in
            while let self, !self.isClosed {
                await self.listenOnce()
                try? await Task.sleep(for: Self.listenerRetryDelay)
            }
        }
        let stale = state.withLockedValue { state -> Task<Void, Never>? in
            if state.isClosed || state.listener != nil { return task }
            state.listener = task
            return nil
        }
        stale?.cancel()
    }

    /// One subscription on the first sentinel that takes it: returns when its connection is lost or the pool
    /// closes.
    private func listenOnce() async {
        for address in sentinels {
            guard !isClosed, let channel = await subscribeToSwitchMaster(at: address) else { continue }
            // A failover may have completed while nobody listened: look again now.
            recheckManagedPools { _ in true }
            while let message = try? await channel.get() {
                // "<name> <old-ip> <old-port> <new-ip> <new-port>"
                guard let fields = message.string()?.split(separator: " ").map(String.init), fields.count == 5,
                    let port = Int(fields[4])
                else { continue }
                recheckManagedPools(announcedMaster: (fields[3], port)) { $0.name == fields[0] }
            }
            return
        }
    }

    /// A dedicated connection (a subscribed one takes no other command over RESP2) subscribed to
    /// `+switch-master`, or `nil` if that sentinel cannot be reached.
    private func subscribeToSwitchMaster(at address: RedisAddress) async -> PubSubChannel? {
        guard let connection = try? await RedisConnection.connect(configuration.sentinelConnection(address)) else {
            return nil
        }
        let kept = state.withLockedValue { state -> Bool in
            guard !state.isClosed else { return false }
            state.listenerConnection = connection
            return true
        }
        guard kept, (try? await connection.executePubSub("SUBSCRIBE", "+switch-master")) != nil,
            let channel = connection.pubsubChannels["+switch-master"]
        else {
            connection.close()
            return nil
        }
        return channel
    }

    private func recheckManagedPools(
        announcedMaster: (host: String, port: Int)? = nil, where matches: (ManagedKey) -> Bool
    ) {
        let pools = state.withLockedValue { state in state.managed.filter { matches($0.key) }.map(\.value) }
        for pool in pools { pool.recheck(announcedMaster: announcedMaster) }
    }

    // MARK: Closing

    /// Closes the sentinel connections and every managed pool; later calls fail with `PoolClosedError`.
    public func close() {
        let closing = state.withLockedValue { state -> (connections: [RedisConnection], pools: [SentinelManagedPool], listener: Task<Void, Never>?)? in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            let connections = Array(state.connections.values) + (state.listenerConnection.map { [$0] } ?? [])
            defer {
                state.connections.removeAll()
                state.listenerConnection = nil
                state.listener = nil
            }
            return (connections, Array(state.managed.values), state.listener)
        }
        guard let closing else { return }
        closing.listener?.cancel()
        for connection in closing.connections { connection.close() }
        for pool in closing.pools { pool.close() }
        Task {
            for connection in closing.connections { await connection.waitClosed() }
            for pool in closing.pools { await pool.waitClosed() }
            self.closedPromise.succeed()
        }
    }

    /// Returns once the sentinel connections and managed pools are closed.
    public func waitClosed() async {
        try? await closedPromise.futureResult.get()
    }

    /// The managed pools made so far, for a graceful shutdown.
    var managedPools: [SentinelManagedPool] { state.withLockedValue { Array($0.managed.values) } }
}

/// Which nodes of a monitored master a managed pool talks to.
public enum SentinelRole: Sendable, Hashable {
    /// The current master.
    case master
    /// The healthy replicas, in turn.
    case replica
}
