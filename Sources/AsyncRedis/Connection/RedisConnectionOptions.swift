import Logging
import NIOCore

/// Every option of a connection except its address: what each `create*` function takes as `options:` (a
/// connection, a pool, a `Redis`, a subscriber, the nodes behind sentinels), so none of them lacks one.
///
/// Options left `nil` fall back to the address's URI (db, username, password, TLS for `rediss://`, encoding,
/// timeout), then to the defaults below. The aioredis-style keyword arguments of the `create*` functions fill in
/// one of these. A new option is a new stored property with a default: every `create*` function gets it at once.
///
/// ```swift
/// var options = RedisConnectionOptions()
/// options.password = secret
/// options.eventLoopGroup = group
/// let redis = try await createRedisPool("redis://cache:6379", options: options, maxSize: 20)
/// ```
public struct RedisConnectionOptions: Sendable {
    /// Database to select; the URI's, else 0.
    public var db: Int?
    /// ACL user (with `password`).
    public var username: String?
    /// Sent with AUTH (or HELLO 3 AUTH).
    public var password: String?
    /// TLS settings; `rediss://` turns on `.default` when not given.
    public var tls: RedisTLS?
    /// How replies are decoded as `String` unless a call says otherwise.
    public var encoding: RedisEncoding?
    /// A custom reply parser type; `RESPDecoder` when `nil`.
    public var parser: (any RESPParser.Type)?
    /// Bound on connecting (TCP, TLS handshake, HELLO, AUTH, SELECT); 10 s when `nil`. A pool also waits this
    /// long for a new connection while the server is unreachable.
    public var timeout: Duration?
    /// How long a command waits for its reply (30 s by default, `nil`: forever); see
    /// `RedisConnectionConfiguration.commandTimeout`.
    public var commandTimeout: Duration?
    /// A connection idle this long is sent a PING and closed if it does not answer; `nil`: no health checks.
    public var healthCheckInterval: Duration?
    /// The longest bulk string (in bytes) a reply may announce before it is a `ProtocolError`; 512 MB by default.
    public var maximumReplyLength: Int
    /// The most elements an aggregate may announce before it is a `ProtocolError`; 512 Mi by default.
    public var maximumAggregateLength: Int
    /// The deepest nesting of aggregates a reply may have before it is a `ProtocolError`; 512 by default.
    public var maximumReplyDepth: Int
    /// The longest header line before it is a `ProtocolError`; 64 KiB by default.
    public var maximumLineLength: Int
    /// 2 (default) or 3 to speak RESP3 after `HELLO 3`.
    public var protocolVersion: Int
    /// Where connections run; NIO's shared `MultiThreadedEventLoopGroup.singleton` when `nil`.
    public var eventLoopGroup: (any EventLoopGroup)?
    /// Where lifecycle events (and, at trace level, command names) are logged; `RedisLogging.defaultLogger`
    /// (label "AsyncRedis") when `nil`. No secret and no value is ever logged.
    public var logger: Logger?
    /// The metrics factory and tracer commands report to: see `RedisInstrumentation`.
    public var instrumentation: RedisInstrumentation
    /// A client-side cache for `createRedis` and `createRedisPool` (see `RedisClientCache`); `nil`: none.
    public var clientCache: RedisClientCache?

    /// Options with every field given or defaulted (see each property).
    public init(
        db: Int? = nil,
        username: String? = nil,
        password: String? = nil,
        tls: RedisTLS? = nil,
        encoding: RedisEncoding? = nil,
        parser: (any RESPParser.Type)? = nil,
        timeout: Duration? = nil,
        commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
        healthCheckInterval: Duration? = nil,
        maximumReplyLength: Int = RESPLimits.defaultMaximumBulkLength,
        maximumAggregateLength: Int = RESPLimits.defaultMaximumAggregateLength,
        maximumReplyDepth: Int = RESPLimits.defaultMaximumDepth,
        maximumLineLength: Int = RESPLimits.defaultMaximumLineLength,
        protocolVersion: Int = 2,
        eventLoopGroup: (any EventLoopGroup)? = nil,
        logger: Logger? = nil,
        instrumentation: RedisInstrumentation = .default,
        clientCache: RedisClientCache? = nil
    ) {
        self.db = db
        self.username = username
        self.password = password
        self.tls = tls
        self.encoding = encoding
        self.parser = parser
        self.timeout = timeout
        self.commandTimeout = commandTimeout
        self.healthCheckInterval = healthCheckInterval
        self.maximumReplyLength = maximumReplyLength
        self.maximumAggregateLength = maximumAggregateLength
        self.maximumReplyDepth = maximumReplyDepth
        self.maximumLineLength = maximumLineLength
        self.protocolVersion = protocolVersion
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.instrumentation = instrumentation
        self.clientCache = clientCache
    }
}
