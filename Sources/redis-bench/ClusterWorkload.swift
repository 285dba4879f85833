import AsyncRedis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `cluster` workload: 100 tasks, each alternating SET and GET of 3-byte values on random keys spread over
/// every slot (`key:<0..<100000>`, as redis-benchmark's `-r 100000` names them), through a `RedisCluster` seeded
/// with `--uri`. Each GET reads back a value the workload itself wrote before measuring; p50/p99 are per call,
/// timed every 8th call of each task.
///
/// The cluster client runs in its default configuration (`maxSize: 10` per node, pipelined commands on one
/// connection per node); `REDIS_BENCH_CLUSTER_MAX_SIZE` changes `maxSize`.
func runCluster(_ options: Options, seed: RedisAddress) async throws -> Result {
    let cluster: RedisCluster
    if let maxSize = getenv("REDIS_BENCH_CLUSTER_MAX_SIZE").flatMap({ Int(String(cString: $0)) }) {
        cluster = try await createCluster([seed], maxSize: maxSize)
    } else {
        cluster = try await createCluster([seed])
    }
    defer { cluster.close() }
    let keyCount = 100_000
    let keys = (0..<keyCount).map { "key:\($0)" }
    // Every key holds the value before measuring, so that every GET can be checked.
    for start in stride(from: 0, to: keyCount, by: 1000) {
        let batch = keys[start..<min(start + 1000, keyCount)].map {
            (command: "SET", arguments: [$0, smallValue] as [any RedisArgument])
        }
        _ = try await Redis(cluster).pipelineResults(batch.map { ($0.command, $0.arguments) })
    }
    return try await concurrent(
        options.workload, requests: options.requests, tasks: 100, timingInterval: smallCallTimingInterval
    ) {
        let draw = Int.random(in: 0..<(2 * keyCount))
        let key = keys[draw >> 1]
        if draw & 1 == 0 {
            expectOK(try await cluster.execute("SET", key, smallValue), "cluster SET")
        } else {
            expectValue(try await cluster.execute("GET", key), smallValueBytes, "cluster GET")
        }
    }
}
