import Logging
import NIOCore

/// Opens a connection (aioredis `create_connection`): the keyword form of `createConnection(_:options:)`.
///
/// - Parameters:
///   - address: `.tcp(host:port:)`, `.unix(path:)` or a URI; explicit arguments below win over the URI's.
///   - db: database to select; the URI's, else 0.
///   - username: ACL user (with `password`).
///   - password: sent with AUTH.
///   - ssl: TLS settings; `rediss://` turns on `.default`.
///   - encoding: how replies are decoded as `String` unless a call says otherwise.
///   - parser: a custom reply parser type.
///   - timeout: bound on the whole connect (socket, TLS, handshake; 10 s when `nil`); `ConnectTimeoutError` past
///     it, whichever step was running.
///   - commandTimeout: how long a command waits for its reply (30 s by default, `nil`: forever); past it the call
///     fails with `TimeoutError` and the connection is closed. See `RedisConnectionConfiguration.commandTimeout`.
///   - healthCheckInterval: a connection idle this long is sent a PING and closed if it does not answer within
///     `commandTimeout`; `nil` (the default): no health checks.
///   - protocolVersion: 3 to speak RESP3 (`HELLO 3`).
///   - eventLoopGroup: where the connection's socket runs (NIO's singleton group when `nil`).
///   - logger: lifecycle events at info and debug, commands at trace; never a credential or a value
///     (label `AsyncRedis` when `nil`).
///   - instrumentation: metrics and tracing (`RedisInstrumentation`; the global systems by default).
public func createConnection(
    _ address: RedisAddress,
    db: Int? = nil,
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    parser: (any RESPParser.Type)? = nil,
    timeout: Duration? = nil,
    commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
    healthCheckInterval: Duration? = nil,
    protocolVersion: Int = 2,
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default
) async throws -> RedisConnection {
    try await createConnection(
        address,
        options: RedisConnectionOptions(
            db: db, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
            protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation))
}

/// Opens a connection with every option in one value (see `RedisConnectionOptions`).
public func createConnection(_ address: RedisAddress, options: RedisConnectionOptions) async throws
    -> RedisConnection
{
    try await RedisConnection.connect(RedisConnectionConfiguration(address: address, options: options))
}

/// Opens a connection of a user's type conforming to `RedisConnectionProtocol` (aioredis `connection_cls`).
public func createConnection<Connection: RedisConnectionProtocol>(
    _ address: RedisAddress,
    db: Int? = nil,
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    parser: (any RESPParser.Type)? = nil,
    timeout: Duration? = nil,
    commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
    healthCheckInterval: Duration? = nil,
    protocolVersion: Int = 2,
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default,
    connectionType: Connection.Type
) async throws -> Connection {
    try await createConnection(
        address,
        options: RedisConnectionOptions(
            db: db, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
            protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation),
        connectionType: connectionType)
}

/// Opens a connection of a user's type with every option in one value (see `RedisConnectionOptions`).
public func createConnection<Connection: RedisConnectionProtocol>(
    _ address: RedisAddress, options: RedisConnectionOptions, connectionType: Connection.Type
) async throws -> Connection {
    try await Connection.connect(RedisConnectionConfiguration(address: address, options: options))
}
