import NIOCore

/// Anything that sends a command and returns its reply: connections, pools, `Redis`, a transaction's context.
/// The variadic and decoding forms of `execute` are written once, in the extension below.
public protocol RedisCommandExecutor: Sendable {
    /// How replies are decoded as `String` when a call does not say (`nil`: UTF-8).
    var encoding: RedisEncoding? { get }

    /// Sends a command and returns its reply; error replies are thrown as `ReplyError`.
    func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue
}

/// What every connection-like object offers (aioredis `AbcConnection`): a single connection, a pool, or a
/// user's own type passed as `connectionType:`.
public protocol RedisConnectionProtocol: RedisCommandExecutor, AnyObject {
    /// The server's address (for a connection, the resolved one).
    var address: RedisAddress { get }
    /// The database currently selected.
    var db: Int { get }
    /// True once closed.
    var isClosed: Bool { get }
    /// Subscribed channels, by name.
    var pubsubChannels: [String: PubSubChannel] { get }
    /// Subscribed patterns, by pattern.
    var pubsubPatterns: [String: PubSubChannel] { get }
    /// Subscribed shard channels (SSUBSCRIBE), by name.
    var pubsubShardChannels: [String: PubSubChannel] { get }
    /// The number of subscriptions; 0 when not in Pub/Sub mode.
    var inPubSub: Int { get }

    /// Sends SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE or SUNSUBSCRIBE and returns one
    /// confirmation per channel, as `[["subscribe", "A", 1], ...]`.
    func executePubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue]

    /// True between MULTI and EXEC/DISCARD on a single connection; a pool never holds a transaction open.
    var inTransaction: Bool { get }

    /// SELECT, so that `db` follows (on a pool: every connection, and the ones opened later).
    func select(_ db: Int) async throws -> Bool

    /// AUTH, with a username ACL authentication (on a pool: every connection, and the ones opened later).
    func auth(_ password: String, username: String?) async throws -> Bool

    /// Runs `body` on a connection no other caller sends on meanwhile: a single connection runs it on itself, a
    /// pool on one it leases for the call and takes back on every path. Pipelines, transactions, WATCH and
    /// `Redis.withConnection` run through it.
    func withDedicatedConnection<T>(_ body: (any RedisConnectionProtocol) async throws -> T) async throws -> T

    /// Starts closing; calls still waiting fail with `ConnectionForcedCloseError`.
    func close()

    /// Returns once everything is closed.
    func waitClosed() async

    /// Opens a connection as `createConnection(..., connectionType:)` asks.
    static func connect(_ configuration: RedisConnectionConfiguration) async throws -> Self
}

extension RedisCommandExecutor {
    /// `execute("SET", "key", 42)`.
    @inlinable
    public func execute(_ command: String, _ arguments: any RedisArgument...) async throws -> RESPValue {
        try await execute(command, arguments: arguments)
    }

    /// Sends a command and decodes its reply as `T`; `encoding` (else the connection's, else UTF-8) applies to text.
    @inlinable
    public func execute<T: RESPValueDecodable>(
        _ command: String, _ arguments: any RedisArgument..., as type: T.Type, encoding: RedisEncoding? = nil
    ) async throws -> T {
        try await execute(command, arguments: arguments, as: type, encoding: encoding)
    }

    /// Sends a command and decodes its reply as `T`; `encoding` (else the connection's, else UTF-8) applies to text.
    @inlinable
    public func execute<T: RESPValueDecodable>(
        _ command: String, arguments: [any RedisArgument], as type: T.Type, encoding: RedisEncoding? = nil
    ) async throws -> T {
        let reply = try await execute(command, arguments: arguments)
        return try T(fromRESP: reply, encoding: encoding ?? self.encoding ?? .utf8)
    }
}

extension RedisConnectionProtocol {
    /// None, for a connection type that does not track shard channels.
    public var pubsubShardChannels: [String: PubSubChannel] { [:] }

    /// False, for a connection type that does not track transactions.
    public var inTransaction: Bool { false }

    /// Sends SELECT, for a connection type that does not track its database.
    @discardableResult
    public func select(_ db: Int) async throws -> Bool {
        guard db >= 0 else { throw InvalidArgumentError("db must be >= 0, got \(db)") }
        return try Redis.status(try await execute("SELECT", arguments: [db]))
    }

    /// Sends AUTH, for a connection type that does not track its credentials.
    @discardableResult
    public func auth(_ password: String, username: String?) async throws -> Bool {
        let arguments: [any RedisArgument] = username.map { [$0, password] } ?? [password]
        return try Redis.status(try await execute("AUTH", arguments: arguments))
    }

    /// Runs `body` on this connection: one connection is already dedicated to whoever holds it.
    public func withDedicatedConnection<T>(_ body: (any RedisConnectionProtocol) async throws -> T) async throws
        -> T
    {
        try await body(self)
    }

    /// `executePubSub("subscribe", "A", channel)`.
    public func executePubSub(_ command: String, _ channels: any PubSubTarget...) async throws -> [RESPValue] {
        try await executePubSub(command, channels: channels)
    }
}
