import AsyncRedisTestSupport
import NIOConcurrencyHelpers
import Testing

@testable import AsyncRedis

/// How a cluster's node pools use their connections, on the shared cluster (its layout is not changed).
@Suite("Cluster node pools")
struct ClusterNodePoolTests {
    @Test("concurrent commands to a node go out on one connection; a blocking command takes another")
    func pipelinedCommandsShareOneConnection() async throws {
        let cluster = try await ClusterTestServers.connect()
        try await withCluster(cluster) { (redis: Redis) async throws -> Void in
            let prefix = uniqueKey()
            let tag = uniqueKey()
            let node = try cluster.node(for: cluster.keySlot(tag), readOnly: false, replicas: false)
            // Opened before the load: commands arriving while a node has no connection yet each open one.
            _ = try await redis.pipelineResults((0..<3).map { ("SET", ["{\(tag)}:\($0)", "v"] as [any RedisArgument]) })
            let pool = try cluster.pool(for: node)
            let busiest = NIOLockedValueBox((connections: 0, samples: 0))
            let load = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in 0..<100 {
                        group.addTask {
                            for index in 0..<50 { try await redis.set("{\(tag)}:\(prefix):\(task):\(index)", "v") }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            while !load.isCancelled {
                let connections = pool.state.withLockedValue { $0.members.map(\.connection) }
                let busy = connections.filter { $0.pendingCount > 0 }.count
                let done = busiest.withLockedValue { value in
                    value = (max(value.connections, busy), value.samples + 1)
                    return value.samples > 2_000
                }
                if done { break }
                await Task.yield()
            }
            try await load.value
            let observed = busiest.withLockedValue { $0 }
            #expect(observed.connections == 1, "\(observed)")

            // BLPOP takes a connection alone: SETs keep flowing on another meanwhile.
            let key = "{\(tag)}:list"
            let blocked = Task { try await cluster.execute("BLPOP", key, "5", as: [String]?.self) }
            try await waitUntil(.seconds(10)) { pool.size > pool.freeSize }
            try await redis.set("{\(tag)}:other", "v")
            _ = try await redis.lpush(key, "x")
            #expect(try await blocked.value == [key, "x"])
        }
    }
}
