import Logging
import NIOCore

/// Opens a pool of connections (aioredis `create_pool`): `minSize` connections at once, up to `maxSize` on demand.
/// The keyword form of `createPool(_:options:minSize:maxSize:retryPolicy:)`.
///
/// - Parameters:
///   - address: `.tcp(host:port:)`, `.unix(path:)` or a URI; explicit arguments below win over the URI's.
///   - db: database of every connection; the URI's, else 0 (`select(_:)` changes it later).
///   - username: ACL user (with `password`).
///   - password: sent with AUTH by every connection.
///   - ssl: TLS settings; `rediss://` turns on `.default`.
///   - encoding: how replies are decoded as `String` unless a call says otherwise.
///   - minSize: connections kept open (refilled in the background when lost); 0 ≤ minSize ≤ maxSize.
///   - maxSize: the most connections open at once; > 0.
///   - parser: a custom reply parser type.
///   - createConnectionTimeout: bound on opening one connection (TCP, TLS and handshake: `ConnectTimeoutError`
///     past it), and on how long a caller waits for a new connection while the server is unreachable (10 s when
///     `nil`).
///   - commandTimeout: how long a command waits for its reply (30 s by default, `nil`: forever); past it the call
///     fails with `TimeoutError` and its connection is closed and replaced. See
///     `RedisConnectionConfiguration.commandTimeout`.
///   - healthCheckInterval: a connection idle this long is sent a PING, and closed and replaced if it does not
///     answer within `commandTimeout`; `nil` (the default): no health checks.
///   - retryPolicy: which failed commands are sent again (`.default`: a read-only command whose connection was
///     lost, once).
///   - protocolVersion: 3 to speak RESP3 (`HELLO 3`).
///   - eventLoopGroup: where the connections' sockets run (NIO's singleton group when `nil`).
///   - logger: lifecycle events at info and debug, commands at trace; never a credential or a value
///     (label `AsyncRedis` when `nil`).
///   - instrumentation: metrics and tracing (`RedisInstrumentation`; the global systems by default).
/// - Throws: `InvalidArgumentError` for bad sizes; the first connection error otherwise.
public func createPool(
    _ address: RedisAddress,
    db: Int? = nil,
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    minSize: Int = 1,
    maxSize: Int = 10,
    parser: (any RESPParser.Type)? = nil,
    createConnectionTimeout: Duration? = nil,
    commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
    healthCheckInterval: Duration? = nil,
    retryPolicy: RedisRetryPolicy = .default,
    protocolVersion: Int = 2,
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default
) async throws -> ConnectionsPool {
    try await createPool(
        address,
        options: RedisConnectionOptions(
            db: db, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: createConnectionTimeout, commandTimeout: commandTimeout,
            healthCheckInterval: healthCheckInterval, protocolVersion: protocolVersion,
            eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation),
        minSize: minSize, maxSize: maxSize, retryPolicy: retryPolicy)
}

/// Opens a pool with every connection option in one value (see `RedisConnectionOptions`): `options.timeout` bounds
/// opening one connection and how long a caller waits for a new one (the keyword form's
/// `createConnectionTimeout`).
public func createPool(
    _ address: RedisAddress, options: RedisConnectionOptions, minSize: Int = 1, maxSize: Int = 10,
    retryPolicy: RedisRetryPolicy = .default
) async throws -> ConnectionsPool {
    let pool = try ConnectionsPool(
        configuration: RedisConnectionConfiguration(address: address, options: options), minSize: minSize,
        maxSize: maxSize, createConnectionTimeout: options.timeout, retryPolicy: retryPolicy)
    try await pool.fill()
    return pool
}
