import AsyncRedisTestSupport
import Testing

@testable import AsyncRedis

/// The six-node cluster scripts/servers.sh starts (3 masters, 3 replicas).
enum ClusterTestServers {
    static func ports() throws -> [Int] {
        try TestServers.value("REDIS_CLUSTER_PORTS").split(separator: ",").compactMap { Int($0) }
    }

    static func seeds() throws -> [RedisAddress] {
        try ports().map { .tcp(host: "127.0.0.1", port: $0) }
    }

    /// A cluster client on the shared cluster (seeds: two of its nodes).
    static func connect(readFrom: RedisReadFrom = .primary, maxRedirections: Int = 5) async throws -> RedisCluster {
        try await createCluster(
            Array(try seeds().prefix(2)), readFrom: readFrom, maxRedirections: maxRedirections)
    }

    /// A plain connection to one node, which answers MOVED for keys it does not serve.
    static func node(_ endpoint: RedisClusterNode) async throws -> RedisConnection {
        try await createConnection(.tcp(host: endpoint.host, port: endpoint.port))
    }
}

/// Closes `cluster` once `body` returns or throws.
func withCluster<T>(_ cluster: RedisCluster, _ body: (Redis) async throws -> T) async throws -> T {
    do {
        let result = try await body(Redis(cluster))
        cluster.close()
        await cluster.waitClosed()
        return result
    } catch {
        cluster.close()
        await cluster.waitClosed()
        throw error
    }
}
