// Allocation and instruction counts per operation for AsyncRedis's hot paths.
//
// - "encode SET": `ByteBuffer.writeRedisCommand("SET", ["key", "value"])` into a reused buffer (the argument
//   array is built once, outside the loop: this counts the encoder only).
// - "decode 100-element array": a fresh `RESPDecoder` fed a prebuilt `*100` reply of 5-byte bulk strings,
//   then `next()`; counts parsing and building the `RESPValue` tree.
// - "GET round trip": one `connection.execute("GET", key)` on an open connection, reply checked. Needs a
//   server: `REDIS_URL` (default redis://127.0.0.1:6379). `bash scripts/bench.sh --malloc` starts a throwaway
//   one and exports REDIS_URL.
//
// - "pipeline of 10000 typed GETs": one `Pipeline` of 10 000 `RedisCommand<String?>("GET", key)` values added with
//   `add(_:)`, executed, every pending reply read. Reported per pipeline: divide by 10 000 for a command's share
//   (the point is that it stays O(1) per command: no task, no recording connection per queued command).
//
// - "pipeline of 10000 queued INCRs": the same through `queue { try $0.incr(key) }`, the aioredis-style form: each
//   call builds its command value with `RedisCommands` at once (no task, no recording connection per command).
//
// Counts are per operation: each benchmark runs 1000 operations per measured iteration (`.kilo` scaling) and
// reports per operation, except the pipeline benchmark (one pipeline per iteration).
import AsyncRedis
import Benchmark
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let metrics: [BenchmarkMetric] = [.mallocCountTotal, .instructions, .wallClock]

/// The connection the round-trip benchmark shares between its setup, body and teardown.
private let sharedConnection = Mutex<RedisConnection?>(nil)
private let roundTripKey = "asyncredis:bench:malloc"
private let roundTripValue = "xyz"

private func redisURL() -> String {
    if let raw = getenv("REDIS_URL"), let url = String(validatingCString: raw), !url.isEmpty { return url }
    return "redis://127.0.0.1:6379"
}

/// `*100\r\n` followed by 100 bulk strings `$5\r\nvalue\r\n`.
private func arrayReplyBytes(count: Int) -> ByteBuffer {
    var buffer = ByteBuffer()
    buffer.writeString("*\(count)\r\n")
    for _ in 0..<count { buffer.writeString("$5\r\nvalue\r\n") }
    return buffer
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
}

let benchmarks: @Sendable () -> Void = {
    let kilo = Benchmark.Configuration(
        metrics: metrics, warmupIterations: 10, scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 1_000)
    // 1000 round trips per measured iteration: the harness's own per-iteration work (it starts each async
    // iteration from a task of its own, about 15 allocations) is then spread over 1000 operations.
    let roundTrips = Benchmark.Configuration(
        metrics: metrics, warmupIterations: 5, scalingFactor: .kilo, maxDuration: .seconds(5), maxIterations: 200)

    Benchmark("encode SET", configuration: kilo) { benchmark in
        let arguments: [any RedisArgument] = ["key", "value"]
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            buffer.clear()
            buffer.writeRedisCommand("SET", arguments)
            blackHole(buffer.readableBytes)
        }
        benchmark.stopMeasurement()
    }

    Benchmark("decode 100-element array", configuration: kilo) { benchmark in
        let bytes = arrayReplyBytes(count: 100)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var decoder = RESPDecoder()
            decoder.feed(bytes)
            guard case .array(.some(let elements))? = try decoder.next(), elements.count == 100 else {
                throw BenchmarkFailure(description: "decoder returned the wrong reply")
            }
            blackHole(elements)
        }
        benchmark.stopMeasurement()
    }

    Benchmark(
        "GET round trip", configuration: roundTrips,
        closure: { (benchmark: Benchmark) async throws in
            let connection = try openedSharedConnection()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let reply = try await connection.execute("GET", roundTripKey)
                guard reply.string() == roundTripValue else {
                    throw BenchmarkFailure(description: "GET \(roundTripKey) returned \(reply)")
                }
            }
            benchmark.stopMeasurement()
        },
        setup: openSharedConnection, teardown: closeSharedConnection)

    // The same round trip through `Redis`'s typed method (a `RedisCommand` built and decoded per call): the path
    // most callers take.
    Benchmark(
        "Redis.get round trip", configuration: roundTrips,
        closure: { (benchmark: Benchmark) async throws in
            let redis = Redis(try openedSharedConnection())
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                guard try await redis.get(roundTripKey) == roundTripValue else {
                    throw BenchmarkFailure(description: "Redis.get \(roundTripKey) returned another value")
                }
            }
            benchmark.stopMeasurement()
        },
        setup: openSharedConnection, teardown: closeSharedConnection)

    let pipelines = Benchmark.Configuration(
        metrics: metrics, warmupIterations: 2, scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 20)
    Benchmark(
        "pipeline of 10000 typed GETs", configuration: pipelines,
        closure: { (benchmark: Benchmark) async throws in
            let connection = try openedSharedConnection()
            let redis = Redis(connection)
            let get = RedisCommand<String?>("GET", [roundTripKey])
            benchmark.startMeasurement()
            let pipeline = redis.pipeline()
            let replies = (0..<10_000).map { _ in pipeline.add(get) }
            try await pipeline.execute()
            for reply in replies {
                guard try await reply.value == roundTripValue else {
                    throw BenchmarkFailure(description: "a pipelined GET \(roundTripKey) returned another value")
                }
            }
            benchmark.stopMeasurement()
        },
        setup: openSharedConnection, teardown: closeSharedConnection)

    Benchmark(
        "pipeline of 10000 queued INCRs", configuration: pipelines,
        closure: { (benchmark: Benchmark) async throws in
            let connection = try openedSharedConnection()
            let redis = Redis(connection)
            let key = roundTripKey + ":queued"
            benchmark.startMeasurement()
            let pipeline = redis.pipeline()
            let replies = (0..<10_000).map { _ in pipeline.queue { try $0.incr(key) } }
            try await pipeline.execute()
            var last = 0
            for reply in replies { last = try await reply.value }
            benchmark.stopMeasurement()
            guard last > 0 else { throw BenchmarkFailure(description: "the queued INCRs did not count") }
        },
        setup: openSharedConnection, teardown: closeSharedConnection)
}

/// The connection `openSharedConnection` opened for the benchmark that runs now.
private func openedSharedConnection() throws -> RedisConnection {
    guard let connection = sharedConnection.withLock({ $0 }) else {
        throw BenchmarkFailure(description: "no connection to \(redisURL())")
    }
    return connection
}

@Sendable private func openSharedConnection() async throws {
    let connection = try await createConnection(try RedisAddress(redisURL()))
    _ = try await connection.execute("SET", roundTripKey, roundTripValue)
    sharedConnection.withLock { $0 = connection }
}

@Sendable private func closeSharedConnection() async throws {
    if let connection = sharedConnection.withLock({ $0.take() }) {
        connection.close()
        await connection.waitClosed()
    }
}
