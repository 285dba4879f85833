import Logging
import NIOCore

/// Connects to a Redis Cluster: asks the seeds, one after the other, for the layout (`CLUSTER SHARDS`, or
/// `CLUSTER SLOTS` on Redis 6.2), then routes every command to the node serving its slot (see `RedisCluster`).
///
/// The connection options (`username`, `password`, `ssl`, `encoding`, `parser`, `timeout`, `commandTimeout`,
/// `healthCheckInterval`, `protocolVersion`) apply to every node, as for `createPool`; credentials in a seed's
/// URI apply when that seed is asked for the layout. A cluster has only db 0.
///
/// - Parameters:
///   - seeds: nodes to ask for the layout, in order; one that answers is enough.
///   - username: ACL user of every node (with `password`).
///   - password: sent with AUTH by every connection.
///   - ssl: TLS settings for every node; a `rediss://` seed turns on `.default`.
///   - encoding: how replies are decoded as `String` unless a call says otherwise.
///   - parser: a custom reply parser type.
///   - timeout: bound on connecting to a node (10 s when `nil`).
///   - commandTimeout: how long a command waits for its reply (30 s by default, `nil`: forever).
///   - healthCheckInterval: idle connections are sent a PING this often; `nil`: no health checks.
///   - protocolVersion: 2 (default) or 3 for RESP3.
///   - eventLoopGroup: where connections run; NIO's singleton group when `nil`.
///   - logger: lifecycle events at info and debug, commands at trace; never a credential or a value.
///   - instrumentation: metrics and tracing (`RedisInstrumentation`; the global systems by default).
///   - minSize: connections each node's pool opens when the node is first used and keeps (0 by default: they
///     open as commands need them).
///   - maxSize: the most connections per node.
///   - readFrom: which nodes serve read-only commands (`.primary` by default).
///   - maxRedirections: MOVED/ASK answers one command may follow (5 by default) before
///     `ClusterRedirectionError`.
///   - retryTimeout: how long a command that did not run (TRYAGAIN, CLUSTERDOWN, an unreachable node) or a
///     read-only command whose connection was lost keeps being retried while the cluster heals (10 s).
///   - refreshInterval: the shortest time between two background reads of the layout (100 ms).
/// - Throws: `ClusterNodeUnavailableError` naming each seed and its failure if none answers with a layout;
///   `InvalidArgumentError` for bad options.
public func createCluster(
    _ seeds: [RedisAddress],
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    minSize: Int = 0,
    maxSize: Int = 10,
    parser: (any RESPParser.Type)? = nil,
    timeout: Duration? = nil,
    commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
    healthCheckInterval: Duration? = nil,
    protocolVersion: Int = 2,
    readFrom: RedisReadFrom = .primary,
    maxRedirections: Int = 5,
    retryTimeout: Duration = .seconds(10),
    refreshInterval: Duration = .milliseconds(100),
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default
) async throws -> RedisCluster {
    try await createCluster(
        seeds,
        options: RedisConnectionOptions(
            db: 0, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
            protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation),
        minSize: minSize, maxSize: maxSize, readFrom: readFrom, maxRedirections: maxRedirections,
        retryTimeout: retryTimeout, refreshInterval: refreshInterval)
}

/// Connects to a Redis Cluster with every connection option in one value (see `RedisConnectionOptions`; `db`
/// must be 0 or `nil`): the options apply to every node.
public func createCluster(
    _ seeds: [RedisAddress], options: RedisConnectionOptions, minSize: Int = 0, maxSize: Int = 10,
    readFrom: RedisReadFrom = .primary, maxRedirections: Int = 5, retryTimeout: Duration = .seconds(10),
    refreshInterval: Duration = .milliseconds(100)
) async throws -> RedisCluster {
    guard options.clientCache == nil else {
        throw InvalidArgumentError("a client cache wraps the cluster client: use createRedisCluster(..., clientCache:)")
    }
    // The nodes' address is a placeholder: each node's pool gets the endpoint the cluster announces.
    var placeholder = RedisAddress(endpoint: .tcp(host: "", port: 0))
    placeholder.useTLS = seeds.first?.useTLS ?? false
    let node = RedisConnectionConfiguration(address: placeholder, options: options)
    let cluster = try RedisCluster(
        configuration: ClusterConfiguration(
            seeds: seeds, node: node, minSize: minSize, maxSize: maxSize, readFrom: readFrom,
            maxRedirections: maxRedirections, retryTimeout: retryTimeout, refreshInterval: refreshInterval))
    do {
        try await cluster.refreshTopology()
    } catch {
        cluster.close()
        throw error
    }
    return cluster
}

/// `createCluster(...)` wrapped in `Redis`, which has every command; with `clientCache`, reads of cacheable
/// commands are served from memory until a master invalidates them (README, "Client-side caching").
public func createRedisCluster(
    _ seeds: [RedisAddress],
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    minSize: Int = 0,
    maxSize: Int = 10,
    parser: (any RESPParser.Type)? = nil,
    timeout: Duration? = nil,
    commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
    healthCheckInterval: Duration? = nil,
    protocolVersion: Int = 2,
    readFrom: RedisReadFrom = .primary,
    maxRedirections: Int = 5,
    retryTimeout: Duration = .seconds(10),
    refreshInterval: Duration = .milliseconds(100),
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default,
    clientCache: RedisClientCache? = nil
) async throws -> Redis {
    try clientCache?.validate()
    let cluster = try await createCluster(
        seeds, username: username, password: password, ssl: ssl, encoding: encoding, minSize: minSize,
        maxSize: maxSize, parser: parser, timeout: timeout, commandTimeout: commandTimeout,
        healthCheckInterval: healthCheckInterval, protocolVersion: protocolVersion, readFrom: readFrom,
        maxRedirections: maxRedirections, retryTimeout: retryTimeout, refreshInterval: refreshInterval,
        eventLoopGroup: eventLoopGroup, logger: logger, instrumentation: instrumentation)
    return Redis(clientCache.map { cluster.withClientCache($0) } ?? cluster)
}

/// `createCluster(_:options:...)` wrapped in `Redis`; `options.clientCache` puts a client cache in front of the
/// cluster (one tracking connection per master, see README "Client-side caching").
public func createRedisCluster(
    _ seeds: [RedisAddress], options: RedisConnectionOptions, minSize: Int = 0, maxSize: Int = 10,
    readFrom: RedisReadFrom = .primary, maxRedirections: Int = 5, retryTimeout: Duration = .seconds(10),
    refreshInterval: Duration = .milliseconds(100)
) async throws -> Redis {
    try options.clientCache?.validate()
    var clusterOptions = options
    clusterOptions.clientCache = nil
    let cluster = try await createCluster(
        seeds, options: clusterOptions, minSize: minSize, maxSize: maxSize, readFrom: readFrom,
        maxRedirections: maxRedirections, retryTimeout: retryTimeout, refreshInterval: refreshInterval)
    return Redis(options.clientCache.map { cluster.withClientCache($0) } ?? cluster)
}
