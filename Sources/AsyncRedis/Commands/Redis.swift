/// The high-level command interface (aioredis `Redis` with its commands mixins).
///
/// Wraps anything that can execute commands (a single `RedisConnection`, or a pool) and gives every command a
/// method named as Redis names it (`hgetall`, `zrangebyscore`), returning the Swift type a caller expects.
/// Text replies are decoded with the per-call `encoding:` if given, else the connection's, else UTF-8; the
/// generic `as:` forms decode bytes or any other `RESPValueDecodable` type.
public final class Redis: RedisCommandExecutor {
    /// The connection (or pool) commands are sent on.
    public let connection: any RedisConnectionProtocol
    /// `connection` when it is a client cache: a hit is answered before anything is awaited.
    private let caching: CachingConnection?

    /// The command interface over `connection` (a connection, a pool, or a managed pool).
    public init(_ connection: any RedisConnectionProtocol) {
        self.connection = connection
        caching = connection as? CachingConnection
    }

    /// The server's address.
    public var address: RedisAddress { connection.address }
    /// The database selected.
    public var db: Int { connection.db }
    /// How replies are decoded as `String` when a call does not say.
    public var encoding: RedisEncoding? { connection.encoding }
    /// True once the connection or pool is closed.
    public var isClosed: Bool { connection.isClosed }

    /// True between MULTI and EXEC/DISCARD on a single connection; a pool never holds a transaction open.
    public var inTransaction: Bool { connection.inTransaction }

    /// Starts closing the underlying connection (or pool).
    public func close() {
        connection.close()
    }

    /// Returns once the connection or pool is closed.
    public func waitClosed() async {
        await connection.waitClosed()
    }

    // MARK: Connection commands

    /// AUTH; with a username, ACL authentication. Returns true or throws `AuthError`. On a pool, every connection
    /// authenticates, and connections opened later too.
    ///
    /// Redis `AUTH`: Authenticate to the server
    /// - Since: Redis 1.0.0
    /// - Complexity: O(N) where N is the number of passwords defined for the user
    @discardableResult
    public func auth(_ password: String, username: String? = nil) async throws -> Bool {
        try await connection.auth(password, username: username)
    }

    /// SELECT, through the connection so that its `db` follows (on a pool: every connection's).
    ///
    /// Redis `SELECT`: Change the selected database for the current connection
    /// - Since: Redis 1.0.0
    /// - Complexity: O(1)
    @discardableResult
    public func select(_ db: Int) async throws -> Bool {
        try await connection.select(db)
    }

    /// Runs several commands on one connection with the `Redis` interface (aioredis `with await redis as r`):
    /// on a pool, `r` wraps a connection leased for the whole body and released on every path; on a single
    /// connection, `r` is this `Redis`. Use it for WATCH, blocking commands, or anything that must not be
    /// interleaved with other callers' commands on another connection.
    public func withConnection<T>(_ body: (Redis) async throws -> T) async throws -> T {
        try await connection.withDedicatedConnection { dedicated in
            try await body(dedicated === connection ? self : Redis(dedicated))
        }
    }

    // MARK: Raw execution

    /// Sends any command and returns the raw reply; the variadic and `as:` forms come from `RedisCommandExecutor`.
    public func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        if let caching {
            if let hit = caching.cachedReply(command, arguments) { return hit }
            return try await caching.execute(command, arguments, cacheLookedUp: true)
        }
        return try await connection.execute(command, arguments: arguments)
    }

    // MARK: Helpers shared by the command groups

    /// `items`, or an `InvalidArgumentError` naming `command` when there are none (Redis would refuse the call).
    static func nonEmpty(_ items: [any RedisArgument], _ command: String) throws -> [any RedisArgument] {
        guard !items.isEmpty else { throw InvalidArgumentError("\(command) needs at least one member or value") }
        return items
    }

    /// The encoding text is decoded with: the call's, else the connection's, else UTF-8.
    func textEncoding(_ encoding: RedisEncoding?) -> RedisEncoding {
        encoding ?? connection.encoding ?? .utf8
    }
}
