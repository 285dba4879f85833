import AsyncRedis
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `cached-get` workload: 100 tasks GET keys of a hot set of 1 000 (`asyncredis:bench:hot:<n>`, 3-byte values)
/// through one connection with a client-side cache, after one unmeasured read of each key filled the cache:
/// the rate of reads served from memory, every reply checked. Beside it, `conc-100` is the same shape without a
/// cache. p50/p99 are per call, timed every 8th call of each task.
///
/// Then the memory a cached entry takes, measured rather than estimated: 100 000 more keys are read through the
/// cache and the process's resident memory before and after is divided by their number (`rss_bytes_per_entry`,
/// beside the cache's own estimate, `estimated_bytes_per_entry`).
func runCachedGet(_ options: Options, address: RedisAddress) async throws -> Result {
    let redis = try await createRedis(address, clientCache: RedisClientCache(maxBytes: 256 << 20))
    defer { redis.close() }
    let hotKeys = (0..<1_000).map { "asyncredis:bench:hot:\($0)" }
    try await setAll(hotKeys, on: redis)
    for key in hotKeys { expectValue(try await redis.execute("GET", key), smallValueBytes, "cached GET warm-up") }
    var result = try await concurrent(
        options.workload, requests: options.requests, tasks: 100, timingInterval: smallCallTimingInterval
    ) {
        let key = hotKeys[HotKeyDraw.next(below: hotKeys.count)]
        expectValue(try await redis.execute("GET", key), smallValueBytes, "cached GET")
    }
    guard let cache = redis.cache, cache.misses == hotKeys.count else {
        fail("cached-get: expected \(hotKeys.count) misses (the warm-up), got \(redis.cache?.misses ?? -1)")
    }

    let memoryKeys = (0..<100_000).map { "asyncredis:bench:mem:\($0)" }
    try await setAll(memoryKeys, on: redis)
    let entriesBefore = cache.count
    let bytesBefore = cache.bytes
    let residentBefore = residentBytes()
    for start in stride(from: 0, to: memoryKeys.count, by: 1_000) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in memoryKeys[start..<start + 1_000] {
                group.addTask { expectValue(try await redis.execute("GET", key), smallValueBytes, "GET to fill") }
            }
            try await group.waitForAll()
        }
    }
    let added = cache.count - entriesBefore
    guard added == memoryKeys.count else { fail("cached-get: \(added) of \(memoryKeys.count) entries were cached") }
    result.extra["rss_bytes_per_entry"] = Double(residentBytes() - residentBefore) / Double(added)
    result.extra["estimated_bytes_per_entry"] = Double(cache.bytes - bytesBefore) / Double(added)
    _ = try await redis.execute("DEL", arguments: hotKeys + memoryKeys)
    return result
}

/// Random key numbers without a system call: `Int.random` reads the kernel's generator (getrandom) every time,
/// which took a tenth of the workload's time, more than a hit itself; redis-benchmark draws its keys from a
/// user-space generator too. A SplitMix64 sequence over a shared counter.
private enum HotKeyDraw {
    private static let counter = Atomic<UInt64>(UInt64.random(in: 0...UInt64.max))

    static func next(below bound: Int) -> Int {
        var z = counter.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

/// SETs every key to the small value, 1 000 per pipeline.
private func setAll(_ keys: [String], on redis: Redis) async throws {
    for start in stride(from: 0, to: keys.count, by: 1_000) {
        let batch = keys[start..<min(start + 1_000, keys.count)].map {
            (command: "SET", arguments: [$0, smallValue] as [any RedisArgument])
        }
        _ = try await redis.pipelineResults(batch.map { ($0.command, $0.arguments) })
    }
}

/// The process's resident memory (Linux: /proc/self/statm); 0 where it cannot be read.
private func residentBytes() -> Int {
    #if os(Linux)
    let file = open("/proc/self/statm", O_RDONLY)
    guard file >= 0 else { return 0 }
    defer { close(file) }
    var bytes = [UInt8](repeating: 0, count: 256)
    let count = read(file, &bytes, bytes.count)
    // "size resident shared ...", in pages.
    let fields = String(decoding: bytes.prefix(max(count, 0)), as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let resident = Int(fields[1]) else { return 0 }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
    return 0
    #endif
}
