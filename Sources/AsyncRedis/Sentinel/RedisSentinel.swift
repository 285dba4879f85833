/// The Sentinel interface (aioredis `RedisSentinel`): the SENTINEL commands, sent to the sentinels, and `Redis`
/// interfaces to the master and replicas they monitor.
///
/// ```swift
/// let sentinel = try await createSentinel(["redis://10.0.0.1:26379", "redis://10.0.0.2:26379"])
/// let master = sentinel.masterFor("mymaster")    // follows failovers
/// try await master.set("key", "value")
/// let replica = sentinel.slaveFor("mymaster")    // reads from the healthy replicas in turn
/// ```
public final class RedisSentinel: RedisCommandExecutor {
    /// The pool of sentinel connections and managed pools underneath.
    public let pool: SentinelPool

    /// The Sentinel interface over `pool`.
    public init(_ pool: SentinelPool) {
        self.pool = pool
    }

    /// How replies are decoded as `String` when a call does not say.
    public var encoding: RedisEncoding? { pool.encoding }
    /// True once `close()` was called.
    public var isClosed: Bool { pool.isClosed }

    /// A `Redis` over the pool that follows the current master of `name` (the same pool for the same name).
    public func masterFor(_ name: String) -> Redis {
        Redis(pool.masterFor(name))
    }

    /// A `Redis` over the healthy replicas of `name`, used in turn; writes fail with `ReadOnlyError`.
    public func slaveFor(_ name: String) -> Redis {
        Redis(pool.slaveFor(name))
    }

    /// Runs any command on a sentinel.
    public func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await pool.execute(command, arguments: arguments)
    }

    /// Closes the sentinel connections and every pool `masterFor`/`slaveFor` gave.
    public func close() {
        pool.close()
    }

    /// Returns once the sentinel connections and managed pools are closed.
    public func waitClosed() async {
        await pool.waitClosed()
    }

    // MARK: SENTINEL commands

    /// PING on a sentinel.
    public func ping() async throws -> String {
        try await execute("PING", as: String.self)
    }

    /// SENTINEL MASTER: the state of the master monitored as `name` (`ip`, `port`, `flags`, `quorum`,
    /// `num-slaves`, `num-other-sentinels`, ...). An unknown name throws the server's `ReplyError`.
    public func master(_ name: String) async throws -> [String: String] {
        try await execute("SENTINEL", "MASTER", name, as: [String: String].self)
    }

    /// SENTINEL MASTERS: every monitored master's state, by name.
    public func masters() async throws -> [String: [String: String]] {
        let states = try await execute("SENTINEL", "MASTERS", as: [[String: String]].self)
        return Dictionary(states.map { ($0["name"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// SENTINEL GET-MASTER-ADDR-BY-NAME: where the master of `name` is; `nil` for an unknown name.
    public func masterAddress(_ name: String) async throws -> (host: String, port: Int)? {
        guard let pair = try await execute("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name, as: [String]?.self),
            pair.count == 2, let port = Int(pair[1])
        else { return nil }
        return (pair[0], port)
    }

    /// SENTINEL REPLICAS (SLAVES before Redis 5): the state of each replica of `name`.
    public func slaves(_ name: String) async throws -> [[String: String]] {
        try await execute("SENTINEL", "SLAVES", name, as: [[String: String]].self)
    }

    /// SENTINEL REPLICAS: the state of each replica of `name`.
    public func replicas(_ name: String) async throws -> [[String: String]] {
        try await execute("SENTINEL", "REPLICAS", name, as: [[String: String]].self)
    }

    /// SENTINEL SENTINELS: the other sentinels monitoring `name`.
    public func sentinels(_ name: String) async throws -> [[String: String]] {
        try await execute("SENTINEL", "SENTINELS", name, as: [[String: String]].self)
    }

    /// SENTINEL MONITOR: start monitoring the master at `address` (TCP) as `name`.
    @discardableResult
    public func monitor(name: String, address: RedisAddress, quorum: Int) async throws -> Bool {
        guard let host = address.host, let port = address.port else {
            throw InvalidArgumentError("SENTINEL MONITOR needs a TCP address, got \(address)")
        }
        return try Redis.status(try await execute("SENTINEL", "MONITOR", name, host, port, quorum))
    }

    /// SENTINEL REMOVE: stop monitoring `name`.
    @discardableResult
    public func remove(_ name: String) async throws -> Bool {
        try Redis.status(try await execute("SENTINEL", "REMOVE", name))
    }

    /// SENTINEL SET: change a monitoring option of `name` (`quorum`, `down-after-milliseconds`, ...).
    @discardableResult
    public func set(_ name: String, _ option: String, _ value: some RedisArgument) async throws -> Bool {
        try Redis.status(try await execute("SENTINEL", "SET", name, option, value))
    }

    /// SENTINEL FAILOVER: force a failover of `name` without asking the other sentinels.
    @discardableResult
    public func failover(_ name: String) async throws -> Bool {
        try Redis.status(try await execute("SENTINEL", "FAILOVER", name))
    }

    /// SENTINEL CKQUORUM: true if the sentinels can reach the quorum and the majority needed for a failover;
    /// otherwise the server's `ReplyError` explains what is missing.
    public func checkQuorum(_ name: String) async throws -> Bool {
        try Redis.status(try await execute("SENTINEL", "CKQUORUM", name))
    }

    /// SENTINEL RESET: forget the state of the masters matching `pattern`; returns how many.
    @discardableResult
    public func reset(_ pattern: String) async throws -> Int {
        try await execute("SENTINEL", "RESET", pattern, as: Int.self)
    }
}
