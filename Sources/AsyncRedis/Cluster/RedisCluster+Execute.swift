extension RedisCluster {
    /// Sends a command to the node its route names (see `ClusterRouting`), following redirections and retrying
    /// as the type's documentation says.
    public func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        switch try ClusterRouting.route(command, arguments) {
        case .slot(let slot):
            return try await executeRouted(command, arguments, slot: slot)
        case .anyMaster:
            return try await executeRouted(command, arguments, slot: nil)
        case .everyMaster(let aggregation):
            return try await executeOnEveryMaster(command, arguments, aggregation: aggregation)
        case .scan:
            return try await scanStep(arguments)
        }
    }

    /// Where the next try of a command goes.
    private enum Target {
        /// The node the layout names for the slot (a replica for a read, when `readFrom` allows).
        case layout
        /// The master the layout names, after a replica failed (`readFrom: .replicaPreferred`).
        case master
        /// The node a MOVED named.
        case moved(ClusterEndpoint)
        /// ASKING, then the command, on the node an ASK named.
        case ask(ClusterEndpoint)
    }

    /// `execute` for one slot (or, with `slot` nil, one master picked at random); `firstError`, when given, is
    /// handled as if the first try had answered it (a pipeline's command retried alone).
    func executeRouted(
        _ command: String, _ arguments: [any RedisArgument], slot: Int?, firstError: (any Error)? = nil,
        firstEndpoint: ClusterEndpoint? = nil
    ) async throws -> RESPValue {
        // Read-only (retry-safe) commands may go to replicas and may be sent again after a lost connection.
        let readOnly = RedisCommandTable.traits(command).isRetrySafe
        var target = Target.layout
        var redirections = 0
        var retry = ClusterRetryClock(timeout: configuration.retryTimeout)
        var pending = firstError
        var endpoint = firstEndpoint
        while true {
            if let error = pending, let current = endpoint {
                pending = nil
                // Decides the next try, or rethrows.
                switch error {
                case let reply as ReplyError:
                    if let redirection = ClusterRedirection(reply, replyingHost: current.host) {
                        redirections += 1
                        redirectionCounters.record(redirection.kind)
                        guard redirections <= configuration.maxRedirections else {
                            throw ClusterRedirectionError(command: command, redirections: redirections, last: reply)
                        }
                        if redirection.kind == .moved {
                            state.withLockedValue { $0.topology.move(slot: redirection.slot, to: redirection.target) }
                            slotOwnersChanged()
                            scheduleRefresh()
                            target = .moved(redirection.target)
                        } else {
                            target = .ask(redirection.target)
                        }
                    } else if reply is TryAgainError || reply is ClusterDownError {
                        if reply is ClusterDownError { scheduleRefresh() }
                        guard try await retry.pause() else { throw reply }
                        target = .layout
                    } else {
                        throw reply
                    }
                case let closed as ConnectionClosedError where !isClosed:
                    scheduleRefresh()
                    guard readOnly || closed.neverSent, try await retry.pause() else { throw closed }
                    target = configuration.readFrom == .replicaPreferred ? .master : .layout
                case let poolClosed as PoolClosedError where !isClosed:
                    // The node left the layout between choosing its pool and using it: nothing was sent.
                    guard try await retry.pause() else { throw poolClosed }
                    target = .layout
                case let unavailable as ClusterNodeUnavailableError where !isClosed:
                    // No node serves the slot in the layout read last: wait for the next one.
                    scheduleRefresh()
                    guard try await retry.pause() else { throw unavailable }
                    target = .layout
                default:
                    throw error
                }
            }
            do {
                let chosen: ClusterEndpoint
                switch target {
                case .layout: chosen = try node(for: slot, readOnly: readOnly, replicas: true)
                case .master: chosen = try node(for: slot, readOnly: readOnly, replicas: false)
                case .moved(let movedTo): chosen = movedTo
                case .ask(let askTarget): chosen = askTarget
                }
                endpoint = chosen
                let pool = try pool(for: chosen)
                if case .ask = target {
                    return try await pool.withConnection { connection in
                        try await connection.executeBatch([
                            (command: "ASKING", arguments: []), (command: command, arguments: arguments),
                        ])[1].get()
                    }
                }
                return try await pool.execute(command, arguments: arguments)
            } catch {
                pending = error
                if endpoint == nil { endpoint = ClusterEndpoint(host: "", port: 0) }
            }
        }
    }

    /// The node for a slot: a replica for a read-only command when `readFrom` allows and `replicas` is true,
    /// else the master; a random master without a slot.
    func node(for slot: Int?, readOnly: Bool, replicas: Bool) throws -> ClusterEndpoint {
        let readFrom = configuration.readFrom
        return try state.withLockedValue { state in
            guard let slot else {
                guard let master = state.topology.masters.randomElement() else {
                    throw ClusterNodeUnavailableError("the cluster layout lists no master")
                }
                return master
            }
            guard let master = state.topology.master(for: slot) else {
                throw ClusterNodeUnavailableError("no master serves slot \(slot)")
            }
            guard readOnly, replicas, readFrom != .primary else { return master }
            if let replica = state.topology.replicas(for: slot).randomElement() { return replica }
            guard readFrom == .replicaPreferred else {
                throw ClusterNodeUnavailableError("the shard serving slot \(slot) lists no healthy replica")
            }
            return master
        }
    }
}

extension ConnectionClosedError {
    /// True when the connection could not even be opened, so the command was never written.
    var neverSent: Bool {
        cause is ConnectionClosedError || cause is ConnectTimeoutError || cause is TLSHandshakeError
    }
}

/// The bound on a command's retries: backoff steps until `timeout` has passed since the first retry.
struct ClusterRetryClock {
    let timeout: Duration
    private var deadline: ContinuousClock.Instant?
    private var backoff = Backoff()

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Sleeps the next step; false (at once) when that would pass the deadline.
    mutating func pause() async throws -> Bool {
        let deadline = self.deadline ?? (.now + timeout)
        self.deadline = deadline
        let delay = backoff.next()
        guard ContinuousClock.now + delay <= deadline else { return false }
        try await Task.sleep(for: delay)
        return true
    }
}
