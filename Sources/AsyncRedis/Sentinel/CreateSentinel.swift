import Logging
import NIOCore

/// Connects to a group of sentinels and wraps it in the Sentinel interface (aioredis `create_sentinel`); the
/// keyword form of `createSentinel(_:options:...)`.
///
/// `username`, `password`, `ssl`, `db`, `encoding`, `parser`, `protocolVersion` apply to the masters and
/// replicas the sentinels name; `sentinelUsername`, `sentinelPassword` and `sentinelSSL` to the sentinels
/// themselves (credentials in a sentinel's URI win). `timeout` bounds connecting to any node (2 s per sentinel
/// when `nil`). `commandTimeout` and `healthCheckInterval` apply to every connection, to sentinels and nodes
/// alike (see `createPool`).
///
/// - Parameters:
///   - sentinels: the sentinels' addresses (more are learned from `SENTINEL SENTINELS`).
///   - db: database selected on the masters and replicas.
///   - username: ACL user on the masters and replicas (with `password`).
///   - password: password on the masters and replicas.
///   - ssl: TLS to the masters and replicas.
///   - encoding: how replies are decoded as `String` unless a call says otherwise.
///   - minSize: connections each managed pool keeps per node (opened when it first connects).
///   - maxSize: the most connections a managed pool opens per node.
///   - parser: a custom reply parser type.
///   - timeout: bound on connecting to a sentinel or a node (2 s per sentinel when `nil`).
///   - commandTimeout: how long a command waits for its reply, on sentinels and nodes (30 s by default).
///   - healthCheckInterval: idle connections are sent a PING this often; `nil` (the default): never.
///   - protocolVersion: 3 to speak RESP3 with the masters and replicas.
///   - sentinelUsername: ACL user on the sentinels (with `sentinelPassword`).
///   - sentinelPassword: password on the sentinels.
///   - sentinelSSL: TLS to the sentinels.
///   - failoverTimeout: how long a call that is safe to repeat waits for a usable master or replica during a
///     failover before its last error is thrown (see `SentinelManagedPool`).
///   - eventLoopGroup: where the sockets run (NIO's singleton group when `nil`).
///   - logger: lifecycle events at info and debug, commands at trace; never a credential or a value
///     (label `AsyncRedis` when `nil`).
///   - instrumentation: metrics and tracing (`RedisInstrumentation`; the global systems by default).
/// - Throws: `SentinelUnreachableError` (naming every address tried) if no sentinel answers PING;
///   `InvalidArgumentError` for bad options.
public func createSentinel(
    _ sentinels: [RedisAddress],
    db: Int? = nil,
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    minSize: Int = 1,
    maxSize: Int = 10,
    parser: (any RESPParser.Type)? = nil,
    timeout: Duration? = nil,
    commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
    healthCheckInterval: Duration? = nil,
    protocolVersion: Int = 2,
    sentinelUsername: String? = nil,
    sentinelPassword: String? = nil,
    sentinelSSL: RedisTLS? = nil,
    failoverTimeout: Duration = .seconds(30),
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default
) async throws -> RedisSentinel {
    try await createSentinel(
        sentinels,
        options: RedisConnectionOptions(
            db: db, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
            protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation),
        minSize: minSize, maxSize: maxSize, sentinelUsername: sentinelUsername, sentinelPassword: sentinelPassword,
        sentinelSSL: sentinelSSL, failoverTimeout: failoverTimeout)
}

/// Connects to a group of sentinels with every connection option in one value (see `RedisConnectionOptions`):
/// `options` apply to the masters and replicas the sentinels name, its `timeout`, `commandTimeout`,
/// `healthCheckInterval`, `parser` and `eventLoopGroup` to the sentinel connections too; the `sentinel*` arguments
/// are the sentinels' own credentials and TLS.
public func createSentinel(
    _ sentinels: [RedisAddress], options: RedisConnectionOptions, minSize: Int = 1, maxSize: Int = 10,
    sentinelUsername: String? = nil, sentinelPassword: String? = nil, sentinelSSL: RedisTLS? = nil,
    failoverTimeout: Duration = .seconds(30)
) async throws -> RedisSentinel {
    RedisSentinel(
        try await createSentinelPool(
            sentinels, options: options, minSize: minSize, maxSize: maxSize, sentinelUsername: sentinelUsername,
            sentinelPassword: sentinelPassword, sentinelSSL: sentinelSSL, failoverTimeout: failoverTimeout))
}

/// Connects to a group of sentinels (aioredis `create_sentinel_pool`): the pool under `RedisSentinel`, with the
/// same options as `createSentinel`; the keyword form of `createSentinelPool(_:options:...)`.
public func createSentinelPool(
    _ sentinels: [RedisAddress],
    db: Int? = nil,
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    minSize: Int = 1,
    maxSize: Int = 10,
    parser: (any RESPParser.Type)? = nil,
    timeout: Duration? = nil,
    commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
    healthCheckInterval: Duration? = nil,
    protocolVersion: Int = 2,
    sentinelUsername: String? = nil,
    sentinelPassword: String? = nil,
    sentinelSSL: RedisTLS? = nil,
    failoverTimeout: Duration = .seconds(30),
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default
) async throws -> SentinelPool {
    try await createSentinelPool(
        sentinels,
        options: RedisConnectionOptions(
            db: db, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
            protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation),
        minSize: minSize, maxSize: maxSize, sentinelUsername: sentinelUsername, sentinelPassword: sentinelPassword,
        sentinelSSL: sentinelSSL, failoverTimeout: failoverTimeout)
}

/// Connects to a group of sentinels with every connection option in one value: the pool under `RedisSentinel`
/// (see `createSentinel(_:options:...)`).
public func createSentinelPool(
    _ sentinels: [RedisAddress], options: RedisConnectionOptions, minSize: Int = 1, maxSize: Int = 10,
    sentinelUsername: String? = nil, sentinelPassword: String? = nil, sentinelSSL: RedisTLS? = nil,
    failoverTimeout: Duration = .seconds(30)
) async throws -> SentinelPool {
    // The nodes' address is a placeholder: each connection gets the host and port a sentinel announces.
    let node = RedisConnectionConfiguration(address: .tcp(host: "", port: 0), options: options)
    let configuration = SentinelConfiguration(
        node: node, sentinelUsername: sentinelUsername, sentinelPassword: sentinelPassword, sentinelTLS: sentinelSSL,
        minSize: minSize, maxSize: maxSize, failoverTimeout: failoverTimeout)
    let pool = try SentinelPool(sentinels: sentinels, configuration: configuration)
    do {
        // Fails early, as aioredis's discovery does, when no sentinel can be reached at all.
        _ = try await pool.execute("PING", arguments: [])
    } catch {
        pool.close()
        throw error
    }
    return pool
}
