// redis-bench: one AsyncRedis workload, measured, printed as one line of JSON.
//
//   redis-bench --uri redis://127.0.0.1:PORT --workload NAME --requests N [--channel NAME]
//
// Output: {"workload":"seq","ops":12345.6,"p50_us":80.1,"p99_us":150.2,"p999_us":410.0,"requests":N}
//
// `ops` is completed commands (or messages) per second of wall time, from the first command sent to the last
// reply received. Every reply is checked against what was SET before measuring; a wrong reply exits with 1.
// What p50/p99 mean depends on the workload:
//   seq, conc-N, pool, set-100k, get-100k: the latency of one command, from the call to `execute` until its
//     reply is returned to the caller (for conc-N and pool this includes waiting behind the other tasks'
//     commands on the same socket, as redis-benchmark's -P latency does). conc-N and pool time every 8th call
//     of each task (see `smallCallTimingInterval`), the others every call.
//   pipe-N: the round trip of one `executeBatch` of N GETs divided by N, i.e. the amortised time per command
//     (redis-benchmark reports about the whole batch's round trip for every request of it instead).
//   cluster: as conc-N, through a cluster client (see ClusterWorkload.swift); --uri names a seed node.
//   cached-get: as conc-100, through a client-side cache on a hot set (see CachedWorkload.swift).
//   pubsub: the gap between two consecutive messages as the subscriber reads them (bursts arrive in one read,
//     so p50 is often ~0); there is no send time on the subscriber side to measure a latency from.
import AsyncRedis
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Command line

struct Options: Sendable {
    var uri = "redis://127.0.0.1:6379"
    var workload = "seq"
    var requests = 10_000
    var channel = "asyncredis-bench"
}

/// Writes to standard error (the C `stderr` global is not concurrency-safe in Swift 6).
func printError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

func fail(_ message: String) -> Never {
    printError("redis-bench: error: \(message)\n")
    exit(1)
}

func usage() -> Never {
    printError(
        """
        usage: redis-bench --uri redis://HOST:PORT --workload NAME --requests N [--channel NAME]
        workloads: \(workloadNames.joined(separator: " "))

        """)
    exit(2)
}

let workloadNames = [
    "seq", "conc-10", "conc-100", "conc-1000", "pipe-100", "pipe-10000", "pool", "set-100k", "get-100k", "pubsub",
    "cluster", "cached-get",
]

func parseOptions(_ arguments: [String]) -> Options {
    var options = Options()
    var index = 1
    func value(_ flag: String) -> String {
        index += 1
        guard index < arguments.count else { fail("\(flag) needs a value") }
        return arguments[index]
    }
    while index < arguments.count {
        let flag = arguments[index]
        switch flag {
        case "--uri": options.uri = value(flag)
        case "--workload": options.workload = value(flag)
        case "--requests":
            let text = value(flag)
            guard let n = Int(text), n > 0 else { fail("--requests must be a positive integer, not \(text)") }
            options.requests = n
        case "--channel": options.channel = value(flag)
        case "-h", "--help": usage()
        default: fail("unknown argument \(flag)")
        }
        index += 1
    }
    guard workloadNames.contains(options.workload) else { fail("unknown workload \(options.workload)") }
    return options
}

// MARK: - Measurement

let clock = ContinuousClock()

func nanoseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
}

struct Result: Sendable {
    var workload: String
    var count: Int
    var elapsed: Duration
    /// Latency samples in nanoseconds (meaning per workload: see the top of this file).
    var samples: [Int64]
    /// Samples are divided by this before reporting (pipe-N: the batch size).
    var sampleDivisor: Int = 1
    /// Operations the rate counts (pubsub: the n-1 intervals between n messages).
    var rateCount: Int? = nil
    /// Further figures of a workload, added to the JSON line (cached-get: memory per entry).
    var extra: [String: Double] = [:]

    func json() -> String {
        let seconds = Double(nanoseconds(elapsed)) / 1e9
        let ops = seconds > 0 ? Double(rateCount ?? count) / seconds : 0
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, Int(Double(sorted.count) * p))
            return Double(sorted[index]) / 1_000 / Double(sampleDivisor)
        }
        return "{\"workload\":\"\(workload)\",\"ops\":\(format(ops)),\"p50_us\":\(format(percentile(0.50))),"
            + "\"p99_us\":\(format(percentile(0.99))),\"p999_us\":\(format(percentile(0.999))),"
            + "\"requests\":\(count)"
            + extra.sorted { $0.key < $1.key }.map { ",\"\($0.key)\":\(format($0.value))" }.joined() + "}"
    }
}

/// One decimal, never an exponent.
func format(_ value: Double) -> String {
    let tenths = Int64((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}

// MARK: - Reply checks

/// The expected value is an array, so a check opens one `ByteBuffer` (the reply's) rather than two, as
/// `ByteBuffer ==` does: every reply is checked, and each opening costs a dynamic exclusivity check.
func expectValue(_ reply: RESPValue, _ expected: [UInt8], _ what: String) {
    guard case .bulkString(.some(let bytes)) = reply else { fail("\(what): expected a bulk string, got \(reply)") }
    guard bytes.readableBytes == expected.count else {
        fail("\(what): expected \(expected.count) bytes, got \(bytes.readableBytes)")
    }
    let equal = bytes.withUnsafeReadableBytes { actual in
        expected.withUnsafeBytes { memcmp(actual.baseAddress!, $0.baseAddress!, expected.count) == 0 }
    }
    guard equal else { fail("\(what): the value differs from the one SET") }
}

func expectOK(_ reply: RESPValue, _ what: String) {
    guard case .simpleString(let text) = reply, String(buffer: text) == "OK" else {
        fail("\(what): expected OK, got \(reply)")
    }
}

// MARK: - Workloads

let key = "asyncredis:bench:key"
let smallValue = ByteBuffer(string: "xyz")
let smallValueBytes = Array(smallValue.readableBytesView)

/// A 100 KB value whose bytes vary, so a misplaced slice cannot compare equal.
func bigValue() -> ByteBuffer {
    var buffer = ByteBuffer()
    buffer.reserveCapacity(102_400)
    for index in 0..<102_400 { buffer.writeInteger(UInt8(truncatingIfNeeded: index &* 31 &+ index >> 8)) }
    return buffer
}

/// Splits `total` requests into `tasks` shares that add up to `total`.
func share(_ total: Int, _ tasks: Int, _ index: Int) -> Int {
    total / tasks + (index < total % tasks ? 1 : 0)
}

/// A few unmeasured round trips, so connection setup and first-use costs stay out of the figures.
func warmUp(_ connection: some RedisConnectionProtocol) async throws {
    for _ in 0..<200 { expectValue(try await connection.execute("GET", key), smallValueBytes, "warm-up GET") }
}

/// conc-N and pool time every 8th call of each task. Reading the clock around every call cost about 5 % of the
/// client's CPU in conc-100 (two vDSO `clock_gettime` calls per 3-byte GET), which is the harness's cost, not
/// the client's; one call in 8 still gives tens of thousands of samples for p50 and p99.
let smallCallTimingInterval = 8

/// `tasks` tasks each run their share of `requests` calls of `operation`, timing every `timingInterval`-th call
/// of each task.
func concurrent(
    _ workload: String, requests: Int, tasks: Int, timingInterval: Int = 1,
    operation: @escaping @Sendable () async throws -> Void
) async throws -> Result {
    let start = clock.now
    let samples = try await withThrowingTaskGroup(of: [Int64].self) { group in
        for index in 0..<tasks {
            let count = share(requests, tasks, index)
            group.addTask {
                var samples: [Int64] = []
                samples.reserveCapacity(count / timingInterval + 1)
                for call in 0..<count {
                    guard call % timingInterval == 0 else {
                        try await operation()
                        continue
                    }
                    let t0 = clock.now
                    try await operation()
                    samples.append(nanoseconds(clock.now - t0))
                }
                return samples
            }
        }
        var all: [Int64] = []
        all.reserveCapacity(requests)
        for try await part in group { all.append(contentsOf: part) }
        return all
    }
    return Result(workload: workload, count: requests, elapsed: clock.now - start, samples: samples)
}

func runSequential(_ options: Options, _ connection: RedisConnection) async throws -> Result {
    var samples: [Int64] = []
    samples.reserveCapacity(options.requests)
    let start = clock.now
    for _ in 0..<options.requests {
        let t0 = clock.now
        let reply = try await connection.execute("GET", key)
        samples.append(nanoseconds(clock.now - t0))
        expectValue(reply, smallValueBytes, "GET")
    }
    return Result(workload: options.workload, count: options.requests, elapsed: clock.now - start, samples: samples)
}

func runPipeline(_ options: Options, _ connection: RedisConnection, batchSize: Int) async throws -> Result {
    let batches = max(1, options.requests / batchSize)
    let commands: [(command: String, arguments: [any RedisArgument])] = Array(
        repeating: (command: "GET", arguments: [key]), count: batchSize)
    var samples: [Int64] = []
    samples.reserveCapacity(batches)
    let start = clock.now
    for _ in 0..<batches {
        let t0 = clock.now
        let replies = try await connection.executeBatch(commands)
        samples.append(nanoseconds(clock.now - t0))
        guard replies.count == batchSize else { fail("pipeline of \(batchSize) returned \(replies.count) replies") }
        for reply in replies {
            switch reply {
            case .success(let value): expectValue(value, smallValueBytes, "pipelined GET")
            case .failure(let error): fail("pipelined GET failed: \(error)")
            }
        }
    }
    return Result(
        workload: options.workload, count: batches * batchSize, elapsed: clock.now - start, samples: samples,
        sampleDivisor: batchSize)
}

func runPubSub(_ options: Options, _ connection: RedisConnection) async throws -> Result {
    let confirmations = try await connection.executePubSub("subscribe", options.channel)
    guard confirmations.count == 1 else { fail("SUBSCRIBE returned \(confirmations)") }
    guard let channel = connection.pubsubChannels[options.channel] else { fail("no channel after SUBSCRIBE") }
    // Only now may the publisher start: bench.sh polls PUBSUB NUMSUB, and this line is for people.
    printError("redis-bench: subscribed to \(options.channel), waiting for \(options.requests) messages\n")

    let expected = options.requests
    let payload = ByteBuffer(string: "xyz")
    // Closing the connection after 30 s ends a wait on a publisher that sent too few messages.
    let watchdog = Task {
        try await Task.sleep(for: .seconds(30))
        connection.close()
    }
    var received = 0
    var first: ContinuousClock.Instant?
    var last = clock.now
    var gaps: [Int64] = []
    gaps.reserveCapacity(expected)
    do {
        while received < expected, let message = try await channel.get() {
            let now = clock.now
            guard message.channel == options.channel, message.payload == payload else {
                fail("unexpected message \(message) on \(options.channel)")
            }
            if first == nil { first = now } else { gaps.append(nanoseconds(now - last)) }
            last = now
            received += 1
        }
    } catch {
        printError("redis-bench: the subscription ended: \(error)\n")
    }
    watchdog.cancel()
    guard received == expected, let first else {
        fail("received \(received) of \(expected) messages within 30 s")
    }
    // Rate from the first message to the last: n-1 intervals.
    return Result(
        workload: options.workload, count: received, elapsed: last - first, samples: gaps,
        rateCount: received - 1)
}

func run(_ options: Options) async throws -> Result {
    let address: RedisAddress
    do { address = try RedisAddress(options.uri) } catch { fail("bad --uri \(options.uri): \(error)") }

    if options.workload == "cluster" {
        return try await runCluster(options, seed: address)
    }
    if options.workload == "cached-get" {
        return try await runCachedGet(options, address: address)
    }

    if options.workload == "pool" {
        let pool = try await createPool(address, minSize: 10, maxSize: 10)
        expectOK(try await pool.execute("SET", key, smallValue), "SET")
        try await warmUp(pool)
        let result = try await concurrent(
            options.workload, requests: options.requests, tasks: 50, timingInterval: smallCallTimingInterval
        ) {
            expectValue(try await pool.execute("GET", key), smallValueBytes, "pool GET")
        }
        pool.close()
        await pool.waitClosed()
        return result
    }

    let connection = try await createConnection(address)
    defer { connection.close() }
    expectOK(try await connection.execute("SET", key, smallValue), "SET")
    if options.workload != "pubsub" { try await warmUp(connection) }

    if getenv("REDIS_BENCH_EXECUTOR").map({ String(cString: $0) }) == "connection" {
        // The workload's tasks run on the connection's event loop (see `RedisEventLoopExecutor`).
        return try await withTaskExecutorPreference(connection.taskExecutor) {
            try await runOnConnection(options, connection)
        }
    }
    return try await runOnConnection(options, connection)
}

func runOnConnection(_ options: Options, _ connection: RedisConnection) async throws -> Result {
    switch options.workload {
    case "seq":
        return try await runSequential(options, connection)
    case "conc-10", "conc-100", "conc-1000":
        let tasks = Int(options.workload.dropFirst("conc-".count))!
        return try await concurrent(
            options.workload, requests: options.requests, tasks: tasks, timingInterval: smallCallTimingInterval
        ) {
            expectValue(try await connection.execute("GET", key), smallValueBytes, "GET")
        }
    case "pipe-100", "pipe-10000":
        return try await runPipeline(options, connection, batchSize: Int(options.workload.dropFirst("pipe-".count))!)
    case "set-100k":
        let value = bigValue()
        let bigKey = "asyncredis:bench:big"
        return try await concurrent(options.workload, requests: options.requests, tasks: 10) {
            expectOK(try await connection.execute("SET", bigKey, value), "SET of 100 KB")
        }
    case "get-100k":
        let value = bigValue()
        let valueBytes = Array(value.readableBytesView)
        let bigKey = "asyncredis:bench:big"
        expectOK(try await connection.execute("SET", bigKey, value), "SET of 100 KB")
        return try await concurrent(options.workload, requests: options.requests, tasks: 10) {
            expectValue(try await connection.execute("GET", bigKey), valueBytes, "GET of 100 KB")
        }
    case "pubsub":
        return try await runPubSub(options, connection)
    default:
        fail("unknown workload \(options.workload)")
    }
}

// REDIS_BENCH_NIO_EXECUTOR=1 runs every task on NIO's event loops: a reply resumes its task on the thread that
// read it, without a hop to the cooperative pool. The trade-off for users: a task that blocks (CPU-heavy work,
// blocking I/O) then stalls the network for every connection on that loop.
if getenv("REDIS_BENCH_NIO_EXECUTOR").map({ String(cString: $0) }) == "1" {
    guard NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() else {
        fail("could not install NIO's event loop as the global executor")
    }
}

let options = parseOptions(CommandLine.arguments)
do {
    let result = try await run(options)
    print(result.json())
} catch {
    fail("\(options.workload): \(error)")
}
