extension RedisCluster {
    /// Runs `body` (a MULTI/EXEC block, or a WATCH transaction) on a connection leased from the master serving the
    /// one slot of `commands`' keys: `CrossSlotError` when they span slots, a random master when they have none.
    ///
    /// A block the server refused as a whole because a queued command (or EXEC) met a redirection ran nothing
    /// (EXECABORT, or EXEC itself answered MOVED/ASK), so it is run again whole, like a single command:
    /// - MOVED: on the node it names (the slot recorded, the layout read again in the background);
    /// - ASK: ASKING, then the block, on the node it names (ASKING holds for a whole MULTI);
    /// - TRYAGAIN, CLUSTERDOWN: after a backoff, within `retryTimeout`.
    /// After `maxRedirections` redirections, `ClusterRedirectionError`. Every other failure is thrown as it is:
    /// a block that ran (`MultiExecResultsError`), a watched key that changed (`WatchVariableError`, which
    /// `transaction(watching:)` handles), and a redirection answered to a command outside MULTI (WATCH, or a read
    /// in a transaction's body: the caller's code ran, so it is not repeated; the layout is read again so that the
    /// caller's next try reaches the right node).
    func withConnection<T>(
        forCommands commands: [(command: String, arguments: [any RedisArgument])],
        _ body: (RedisConnection) async throws -> T
    ) async throws -> T {
        let slot = try Self.transactionSlot(commands)
        _ = try await currentMasters()
        var target: ClusterEndpoint?
        var asking = false
        var redirections = 0
        var retry = ClusterRetryClock(timeout: configuration.retryTimeout)
        while true {
            let endpoint = try target ?? node(for: slot, readOnly: false, replicas: false)
            let pool = try pool(for: endpoint)
            let connection = try await pool.acquire()
            let refused: MultiExecError
            let reply: ReplyError
            do {
                if asking { _ = try await connection.execute("ASKING", arguments: []) }
                let result = try await body(connection)
                pool.release(connection)
                return result
            } catch let error as MultiExecError {
                pool.release(connection)
                guard let cause = error.clusterRefusal else { throw error }
                (refused, reply) = (error, cause)
            } catch {
                pool.release(connection)
                if let reply = error as? ReplyError, Self.isRetriedAlone(reply) { scheduleRefresh() }
                throw error
            }
            if let redirection = ClusterRedirection(reply, replyingHost: endpoint.host) {
                redirections += 1
                redirectionCounters.record(redirection.kind)
                guard redirections <= configuration.maxRedirections else {
                    throw ClusterRedirectionError(command: "the transaction", redirections: redirections, last: reply)
                }
                if redirection.kind == .moved {
                    state.withLockedValue { $0.topology.move(slot: redirection.slot, to: redirection.target) }
                    slotOwnersChanged()
                    scheduleRefresh()
                }
                target = redirection.target
                asking = redirection.kind == .ask
            } else {
                if reply is ClusterDownError { scheduleRefresh() }
                guard try await retry.pause() else { throw refused }
            }
        }
    }

    /// The one slot of a transaction's keys (nil without keys), or `CrossSlotError` naming them.
    private static func transactionSlot(_ commands: [(command: String, arguments: [any RedisArgument])]) throws -> Int? {
        var slot: Int?
        var keys: [(key: String, slot: Int)] = []
        for command in commands {
            guard let indices = RedisCommandTable.keyIndices(command: command.command, arguments: command.arguments)
            else { continue }
            for index in indices where index < command.arguments.count {
                let key = command.arguments[index]
                let keySlot = ClusterKeySlot.slot(of: key)
                keys.append((key: RedisArgumentPayload.text(of: key), slot: keySlot))
                slot = slot ?? keySlot
            }
        }
        if let slot, keys.contains(where: { $0.slot != slot }) {
            throw CrossSlotError(command: "the transaction", keys: keys)
        }
        return slot
    }
}

extension MultiExecError {
    /// For a block refused whole (EXECABORT, or EXEC answered a redirection: nothing ran) because the node does
    /// not serve its slot now: the MOVED or ASK answer (else TRYAGAIN or CLUSTERDOWN) to follow. Nil for a block
    /// that ran, a watched key that changed, or a refusal for another reason.
    var clusterRefusal: ReplyError? {
        guard Swift.type(of: self) == MultiExecError.self else { return nil }
        let replies = errors.compactMap { $0.error as? ReplyError }.filter(RedisCluster.isRetriedAlone)
        return replies.first { $0.code == "MOVED" || $0.code == "ASK" } ?? replies.first
    }
}
