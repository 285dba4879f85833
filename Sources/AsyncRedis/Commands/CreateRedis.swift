import Logging
/// Opens one connection and wraps it in the command interface (aioredis `create_redis`).
///
/// The connection does not reconnect; use a pool for that. `commandsFactory` builds the interface object from the
/// connection, for a subclass-like wrapper of a caller's own (aioredis `commands_factory`). The keyword form of
/// `createRedis(_:options:commandsFactory:)`.
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
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default,
    clientCache: RedisClientCache? = nil,
    commandsFactory: ((any RedisConnectionProtocol) -> Redis)? = nil
) async throws -> Redis {
    try await createRedis(
        address,
        options: RedisConnectionOptions(
            db: db, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
            protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation, clientCache: clientCache),
        commandsFactory: commandsFactory)
}

/// Opens one connection with every option in one value (see `RedisConnectionOptions`) and wraps it in the
/// command interface.
public func createRedis(
    _ address: RedisAddress, options: RedisConnectionOptions,
    commandsFactory: ((any RedisConnectionProtocol) -> Redis)? = nil
) async throws -> Redis {
    try options.clientCache?.validate()
    let connection = try await createConnection(address, options: options)
    return (commandsFactory ?? Redis.init)(try options.withClientCache(connection, address: address))
}

/// Opens a pool and wraps it in the high-level interface (aioredis `create_redis_pool`): commands are pipelined
/// over the pool's connections, and Pub/Sub uses a connection of its own. The keyword form of
/// `createRedisPool(_:options:minSize:maxSize:retryPolicy:commandsFactory:)`.
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
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default,
    clientCache: RedisClientCache? = nil,
    commandsFactory: ((any RedisConnectionProtocol) -> Redis)? = nil
) async throws -> Redis {
    try await createRedisPool(
        address,
        options: RedisConnectionOptions(
            db: db, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: createConnectionTimeout, commandTimeout: commandTimeout,
            healthCheckInterval: healthCheckInterval, protocolVersion: protocolVersion,
            eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation, clientCache: clientCache),
        minSize: minSize, maxSize: maxSize, retryPolicy: retryPolicy, commandsFactory: commandsFactory)
}

/// Opens a pool with every connection option in one value (see `RedisConnectionOptions`; `options.timeout` is
/// the pool's `createConnectionTimeout`) and wraps it in the high-level interface.
public func createRedisPool(
    _ address: RedisAddress, options: RedisConnectionOptions, minSize: Int = 1, maxSize: Int = 10,
    retryPolicy: RedisRetryPolicy = .default, commandsFactory: ((any RedisConnectionProtocol) -> Redis)? = nil
) async throws -> Redis {
    try options.clientCache?.validate()
    let pool = try await createPool(
        address, options: options, minSize: minSize, maxSize: maxSize, retryPolicy: retryPolicy)
    return (commandsFactory ?? Redis.init)(try options.withClientCache(pool, address: address))
}
