import Logging
import NIOCore
import NIOPosix

/// Everything needed to open a connection: the address's URI options merged with explicit arguments
/// (explicit ones win).
public struct RedisConnectionConfiguration: Sendable {
    /// Where to connect.
    public var address: RedisAddress
    /// The database to select after connecting.
    public var db: Int
    /// The ACL user; needs `password`.
    public var username: String?
    /// The password for AUTH (or HELLO AUTH); never shown in a description.
    public var password: String?
    /// TLS settings; set from `.default` for `rediss://` addresses when not given.
    public var tls: RedisTLS?
    /// How replies are decoded as `String` when a call does not say (`nil`: UTF-8).
    public var encoding: RedisEncoding?
    /// The reply parser type.
    public var parser: any RESPParser.Type
    /// Bound on connecting (TCP, TLS handshake, HELLO, AUTH, SELECT); `nil` means the default, 10 s.
    /// `ConnectTimeoutError` past it, whichever step was running.
    public var timeout: Duration?
    /// How long a command may wait for its reply (30 s by default; `nil`: forever). Past it the call fails with
    /// `TimeoutError`, the connection is closed and its other pending calls fail with `ConnectionClosedError`
    /// (cause: the `TimeoutError`). A blocking command (BLPOP, XREAD BLOCK, WAIT, ...) may take its own timeout
    /// plus this; with a timeout of 0 it is not limited. `withCommandTimeout` sets a limit per call.
    public var commandTimeout: Duration?
    /// A connection idle this long is sent a PING; no answer within `commandTimeout` (else this interval) closes
    /// it as dead. `nil` (the default): no health checks.
    public var healthCheckInterval: Duration?
    /// The longest bulk string (in bytes) a reply may announce before it is a `ProtocolError`; 512 MB by default.
    public var maximumReplyLength: Int
    /// The most elements an aggregate may announce before it is a `ProtocolError`; 512 Mi by default.
    public var maximumAggregateLength: Int
    /// The deepest nesting of aggregates a reply may have before it is a `ProtocolError`; 512 by default.
    public var maximumReplyDepth: Int
    /// The longest header line (simple string, error, number, length) before it is a `ProtocolError`; 64 KiB
    /// by default.
    public var maximumLineLength: Int
    /// 2 (default) or 3 to speak RESP3 after `HELLO 3`.
    public var protocolVersion: Int
    /// The event loops connections run on (NIO's singleton group by default).
    public var eventLoopGroup: any EventLoopGroup
    /// Where lifecycle events (connect, handshake, close, reconnect, ...) are logged at info and debug, and every
    /// command at trace; never with a credential or a value. Label `AsyncRedis` by default.
    public var logger: Logger
    /// Metrics and tracing: see `RedisInstrumentation`.
    public var instrumentation: RedisInstrumentation
    /// READONLY after the handshake: a cluster replica then serves reads of its slots (set by `RedisCluster`).
    var sendsReadOnly = false

    /// A configuration: the address's URI options, overridden by any argument given here.
    public init(
        address: RedisAddress,
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
        instrumentation: RedisInstrumentation = .default
    ) {
        self.init(
            address: address,
            options: RedisConnectionOptions(
                db: db, username: username, password: password, tls: tls, encoding: encoding, parser: parser,
                timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
                maximumReplyLength: maximumReplyLength, maximumAggregateLength: maximumAggregateLength,
                maximumReplyDepth: maximumReplyDepth, maximumLineLength: maximumLineLength,
                protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup, logger: logger,
                instrumentation: instrumentation))
    }

    /// `options` applied to `address`: options left `nil` take the URI's values, then the defaults.
    public init(address: RedisAddress, options: RedisConnectionOptions) {
        self.address = address
        self.db = options.db ?? address.db ?? 0
        self.username = options.username ?? address.username
        self.password = options.password ?? address.password
        self.tls = options.tls ?? (address.useTLS ? .default : nil)
        self.encoding = options.encoding ?? address.encoding
        self.parser = options.parser ?? RESPDecoder.self
        self.timeout = options.timeout ?? address.timeout
        self.commandTimeout = options.commandTimeout
        self.healthCheckInterval = options.healthCheckInterval
        self.maximumReplyLength = options.maximumReplyLength
        self.maximumAggregateLength = options.maximumAggregateLength
        self.maximumReplyDepth = options.maximumReplyDepth
        self.maximumLineLength = options.maximumLineLength
        self.protocolVersion = options.protocolVersion
        self.eventLoopGroup = options.eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        self.logger = options.logger ?? RedisLogging.defaultLogger
        self.instrumentation = options.instrumentation
    }

    /// The limits the connection's reply parser enforces.
    public var replyLimits: RESPLimits {
        RESPLimits(
            maximumBulkLength: maximumReplyLength, maximumAggregateLength: maximumAggregateLength,
            maximumDepth: maximumReplyDepth, maximumLineLength: maximumLineLength)
    }

    /// The bound on connecting when `timeout` is `nil`.
    public static let defaultConnectTimeout: Duration = .seconds(10)

    /// Checks what the server cannot: a malformed address literal, a negative db, a non-positive timeout.
    func validate() throws {
        _ = try address.validated()
        guard db >= 0 else { throw InvalidArgumentError("db must be >= 0, got \(db)") }
        if let timeout, timeout <= .zero { throw InvalidArgumentError("timeout must be > 0, got \(timeout)") }
        if let commandTimeout, commandTimeout <= .zero {
            throw InvalidArgumentError("commandTimeout must be > 0, got \(commandTimeout)")
        }
        if let healthCheckInterval, healthCheckInterval <= .zero {
            throw InvalidArgumentError("healthCheckInterval must be > 0, got \(healthCheckInterval)")
        }
        let limits = [
            ("maximumReplyLength", maximumReplyLength), ("maximumAggregateLength", maximumAggregateLength),
            ("maximumReplyDepth", maximumReplyDepth), ("maximumLineLength", maximumLineLength),
        ]
        for (name, value) in limits where value < 1 {
            throw InvalidArgumentError("\(name) must be >= 1, got \(value)")
        }
        guard protocolVersion == 2 || protocolVersion == 3 else {
            throw InvalidArgumentError("protocolVersion must be 2 or 3, got \(protocolVersion)")
        }
        try instrumentation.validate()
        if password == nil, username != nil {
            throw InvalidArgumentError("a username needs a password (AUTH username password)")
        }
    }
}
