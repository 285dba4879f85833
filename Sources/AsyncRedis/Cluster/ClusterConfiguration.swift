/// What a `RedisCluster` needs: the seeds, how to reach any node, and its routing and retry bounds.
struct ClusterConfiguration: Sendable {
    var seeds: [RedisAddress]
    /// Connections to the nodes; its address is replaced by each node's endpoint.
    var node: RedisConnectionConfiguration
    /// Connections a node's pool keeps and opens at most.
    var minSize: Int
    var maxSize: Int
    var readFrom: RedisReadFrom
    /// MOVED and ASK answers one command may follow before `ClusterRedirectionError`.
    var maxRedirections: Int
    /// How long a command that did not run (TRYAGAIN, CLUSTERDOWN, an unreachable node) or a read-only one whose
    /// connection was lost keeps being retried, with backoff, while the cluster heals.
    var retryTimeout: Duration
    /// The shortest time between two layout refreshes that MOVED answers or failures ask for.
    var refreshInterval: Duration

    /// How long a command waits for a connection to a node that cannot be reached before failing: short, because
    /// in a cluster an unreachable node is a reason to read the layout again rather than to wait.
    /// 5 s: long enough for a loaded machine's handshake, short enough to move on soon after a node dies.
    static let nodeConnectTimeout: Duration = .seconds(5)

    /// How many of a node's connections carry pipelined (shared) commands; the others, up to `maxSize`, open
    /// only for what takes a connection alone (blocking commands, MULTI, explicit pipelines). A cluster spreads
    /// its callers over several nodes already, so each node's share of them is best written together on one
    /// connection: one write and one read system call for many commands. Spread over ten, each write carried a
    /// few commands and the `cluster` benchmark reached 0.56 of redis-benchmark; on one, above 1.
    static let sharedConnectionsPerNode = 1

    /// A node's connections: READONLY is sent on each when reads may go to replicas (a master ignores it).
    func nodeConnection(_ endpoint: ClusterEndpoint) -> RedisConnectionConfiguration {
        var configuration = node
        configuration.address.endpoint = .tcp(host: endpoint.host, port: endpoint.port)
        configuration.sendsReadOnly = readFrom != .primary
        return configuration
    }

    /// A seed's connection, with the credentials of its URI if it has some.
    func seedConnection(_ address: RedisAddress) -> RedisConnectionConfiguration {
        var configuration = node
        configuration.address = address
        configuration.username = address.username ?? node.username
        configuration.password = address.password ?? node.password
        if address.useTLS, configuration.tls == nil { configuration.tls = .default }
        return configuration
    }

    func validate() throws {
        try node.validate()
        guard node.db == 0 else { throw InvalidArgumentError("a cluster has only db 0, got db \(node.db)") }
        guard !seeds.isEmpty else { throw InvalidArgumentError("createCluster needs at least one seed address") }
        for seed in seeds {
            _ = try seed.validated()
            if case .unix = seed.endpoint {
                throw InvalidArgumentError("cluster seeds must be TCP addresses, got \(seed)")
            }
            if let db = seed.db, db != 0 { throw InvalidArgumentError("a cluster has only db 0, got db \(db) in \(seed)") }
        }
        guard maxSize > 0 else { throw InvalidArgumentError("maxSize must be greater than 0, got \(maxSize)") }
        guard minSize >= 0, minSize <= maxSize else {
            throw InvalidArgumentError("minSize must be between 0 and maxSize (\(maxSize)), got \(minSize)")
        }
        guard maxRedirections >= 0 else {
            throw InvalidArgumentError("maxRedirections must be >= 0, got \(maxRedirections)")
        }
        guard retryTimeout >= .zero else { throw InvalidArgumentError("retryTimeout must be >= 0, got \(retryTimeout)") }
        guard refreshInterval >= .zero else {
            throw InvalidArgumentError("refreshInterval must be >= 0, got \(refreshInterval)")
        }
    }
}
