/// Why a node a sentinel named was not used.
enum NodeProblem: Error {
    /// Connecting failed (refused, timed out, lost): the node may be down, e.g. a master being failed over.
    case unreachable(any Error)
    /// The handshake was answered with an error (a wrong password, ACL): waiting will not help.
    case reply(ReplyError)
    /// ROLE answered another role: a stale sentinel named a node that was demoted or promoted.
    case wrongRole(String)
}

extension SentinelPool {
    /// Asks the sentinels in turn for the master of `name` and offers its address to `use` until one accepts it:
    /// a sentinel that names a node `use` rejects (a demoted master) is passed over for the next one.
    ///
    /// - Throws: `DiscoveryFailure` with `MasterNotFoundError`, `MasterReplyError`, `ConnectionClosedError` (the
    ///   master named cannot be reached) or `SentinelUnreachableError`.
    func discoverMaster<T>(
        _ name: String, use: (_ host: String, _ port: Int) async -> Result<T, NodeProblem>
    ) async throws -> T {
        var problem: (node: String, problem: NodeProblem)?
        var seenDown = false
        let found: T?
        do {
            found = try await firstAnswer { connection -> T? in
                let fields: [String: String]
                do {
                    fields = try SentinelReplies.fields(try await connection.execute("SENTINEL", "MASTER", name))
                } catch let error as ReplyError where SentinelReplies.isUnknownMaster(error) {
                    return nil
                }
                let flags = fields["flags"] ?? ""
                guard SentinelReplies.isHealthy(fields), flags.contains("master"),
                    let node = SentinelReplies.hostAndPort(fields)
                else {
                    seenDown = true
                    return nil
                }
                switch await use(node.host, node.port) {
                case .success(let accepted):
                    await learnSentinels(of: name, from: connection)
                    return accepted
                case .failure(let rejected):
                    problem = ("\(node.host):\(node.port)", rejected)
                    return nil
                }
            }
        } catch let error as SentinelUnreachableError {
            throw DiscoveryFailure(error: error, isTransient: false)
        }
        if let found { return found }
        if let problem { throw Self.failure(name, .master, node: problem.node, problem.problem) }
        if seenDown {
            throw DiscoveryFailure(
                error: MasterNotFoundError("the sentinels see the master of \(name) as down"), isTransient: true)
        }
        throw DiscoveryFailure(error: MasterNotFoundError("no sentinel monitors a master named \(name)"), isTransient: false)
    }

    /// Asks the sentinels in turn for the healthy replicas of `name` (not down, not disconnected) and offers each
    /// to `use`; the first sentinel for which at least one is accepted wins.
    ///
    /// - Throws: `DiscoveryFailure` with `SlaveNotFoundError`, `SlaveReplyError`, `ConnectionClosedError` or
    ///   `SentinelUnreachableError`.
    func discoverReplicas<T>(
        _ name: String, use: (_ host: String, _ port: Int) async -> Result<T, NodeProblem>
    ) async throws -> [T] {
        var problem: (node: String, problem: NodeProblem)?
        var knowsName = false
        let found: [T]?
        do {
            found = try await firstAnswer { connection -> [T]? in
                let replies: [RESPValue]
                do {
                    replies = try [RESPValue](
                        fromRESP: try await connection.execute("SENTINEL", "REPLICAS", name), encoding: .utf8)
                } catch let error as ReplyError where SentinelReplies.isUnknownMaster(error) {
                    return nil
                }
                knowsName = true
                // Read every entry before opening anything: a malformed one must not leave opened pools behind.
                let nodes = try replies.map(SentinelReplies.fields).filter(SentinelReplies.isHealthy)
                    .compactMap(SentinelReplies.hostAndPort)
                var accepted: [T] = []
                for node in nodes {
                    switch await use(node.host, node.port) {
                    case .success(let pool): accepted.append(pool)
                    case .failure(let rejected): problem = ("\(node.host):\(node.port)", rejected)
                    }
                }
                if accepted.isEmpty { return nil }
                await learnSentinels(of: name, from: connection)
                return accepted
            }
        } catch let error as SentinelUnreachableError {
            throw DiscoveryFailure(error: error, isTransient: false)
        }
        if let found { return found }
        if let problem { throw Self.failure(name, .replica, node: problem.node, problem.problem) }
        let reason = knowsName ? "no healthy replica of \(name) is known to the sentinels"
            : "no sentinel monitors a master named \(name)"
        throw DiscoveryFailure(error: SlaveNotFoundError(reason), isTransient: false)
    }

    /// The error for a node that was named but not usable: aioredis's Master/SlaveReplyError for Redis errors.
    private static func failure(_ name: String, _ role: SentinelRole, node: String, _ problem: NodeProblem)
        -> DiscoveryFailure
    {
        let what = role == .master ? "master" : "replica"
        func replyError(_ message: String, cause: ReplyError? = nil) -> RedisError {
            role == .master ? MasterReplyError(message, cause: cause) : SlaveReplyError(message, cause: cause)
        }
        switch problem {
        case .reply(let error):
            return DiscoveryFailure(
                error: replyError("service \(name) error: \(what) \(node) refused the connection: \(error)", cause: error),
                isTransient: false)
        case .wrongRole(let reported):
            return DiscoveryFailure(
                error: replyError("service \(name) error: the \(what) named by the sentinels, \(node), answers ROLE \(reported)"),
                isTransient: true)
        case .unreachable(let error):
            return DiscoveryFailure(
                error: ConnectionClosedError("\(what) \(node) of \(name) cannot be reached: \(error)", cause: error),
                isTransient: true)
        }
    }
}
