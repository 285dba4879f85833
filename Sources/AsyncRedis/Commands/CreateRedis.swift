import Logging
/// Opens one connection and wraps it in the command interface (aioredis `create_redis`).
///
/// The connection does not reconnect; use a pool for that. `commandsFactory` builds the interface object from the
/// connection, for a subclass-like wrapper of a caller's own (aioredis `commands_factory`).
public func createRedis(
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
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default,
    commandsFactory: ((any RedisConnectionProtocol) -> Redis)? = nil
) async throws -> Redis {
    let connection = try await createConnection(
        address, db: db, username: username, password: password, ssl: ssl, encoding: encoding, parser: parser,
        timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
        protocolVersion: protocolVersion, logger: logger, instrumentation: instrumentation)
    return (commandsFactory ?? Redis.init)(connection)
}

/// Opens a pool and wraps it in the high-level interface (aioredis `create_redis_pool`): commands are pipelined
/// over the pool's connections, and Pub/Sub uses a connection of its own.
public func createRedisPool(
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
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default,
    commandsFactory: ((any RedisConnectionProtocol) -> Redis)? = nil
) async throws -> Redis {
    let pool = try await createPool(
        address, db: db, username: username, password: password, ssl: ssl, encoding: encoding, minSize: minSize,
        maxSize: maxSize, parser: parser, createConnectionTimeout: createConnectionTimeout,
        commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval, retryPolicy: retryPolicy,
        protocolVersion: protocolVersion, logger: logger, instrumentation: instrumentation)
    return (commandsFactory ?? Redis.init)(pool)
}
