import NIOCore

/// What a `SentinelPool` needs to reach the sentinels and to open connections to the nodes they name.
///
/// Sentinels and data nodes have separate credentials and TLS settings, as Redis allows: a sentinel's own
/// `requirepass`/ACL is unrelated to the master's.
struct SentinelConfiguration: Sendable {
    /// Connections to the master or replicas; its address is replaced by the one a sentinel names.
    var node: RedisConnectionConfiguration
    var sentinelUsername: String?
    var sentinelPassword: String?
    var sentinelTLS: RedisTLS?
    /// Connections a managed pool keeps per node.
    var minSize: Int
    var maxSize: Int
    /// How long a call that is safe to repeat keeps waiting for a usable node during a failover.
    var failoverTimeout: Duration

    /// Where a sentinel is reached, with its credentials: the address's own (from a URI) win.
    func sentinelConnection(_ address: RedisAddress) -> RedisConnectionConfiguration {
        // Sentinels have no databases and speak RESP2 to every client library; HELLO 3 would work too, but the
        // replies parsed here are the same either way.
        RedisConnectionConfiguration(
            address: address, db: 0, username: address.username ?? sentinelUsername,
            password: address.password ?? sentinelPassword, tls: sentinelTLS, encoding: .utf8, parser: node.parser,
            timeout: node.timeout ?? SentinelPool.defaultSentinelTimeout, commandTimeout: node.commandTimeout,
            healthCheckInterval: node.healthCheckInterval, protocolVersion: 2, eventLoopGroup: node.eventLoopGroup,
            logger: node.logger, instrumentation: node.instrumentation)
    }

    /// A data node at the host and port a sentinel announced.
    func nodeConnection(host: String, port: Int) -> RedisConnectionConfiguration {
        var configuration = node
        configuration.address.endpoint = .tcp(host: host, port: port)
        return configuration
    }

    func validate() throws {
        try node.validate()
        guard maxSize > 0 else { throw InvalidArgumentError("maxSize must be greater than 0, got \(maxSize)") }
        guard minSize >= 0, minSize <= maxSize else {
            throw InvalidArgumentError("minSize must be between 0 and maxSize (\(maxSize)), got \(minSize)")
        }
        guard failoverTimeout >= .zero else {
            throw InvalidArgumentError("failoverTimeout must be >= 0, got \(failoverTimeout)")
        }
        if sentinelPassword == nil, sentinelUsername != nil {
            throw InvalidArgumentError("a sentinelUsername needs a sentinelPassword")
        }
    }
}
