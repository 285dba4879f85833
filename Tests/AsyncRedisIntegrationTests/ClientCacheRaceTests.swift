import AsyncRedisTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import AsyncRedis

/// Writers and cached readers on the same keys at once, for a bounded time: the guarantees README's
/// "Client-side caching" states, checked read by read.
///
/// `ASYNCREDIS_CACHE_RACE_UNGUARDED=1` turns the cache's guards (load tokens, write markers) off, to see these
/// tests fail without them.
@Suite("Client-side caching under concurrent writes")
struct ClientCacheRaceTests {
    private static let keyCount = 8
    private static let duration: Duration = .seconds(2)

    /// Per key, the highest version some task has established (acknowledged or observed).
    private final class Versions: Sendable {
        private let values = NIOLockedValueBox<[Int]>(Array(repeating: 0, count: ClientCacheRaceTests.keyCount))
        func current(_ key: Int) -> Int { values.withLockedValue { $0[key] } }
        func raise(_ key: Int, to version: Int) { values.withLockedValue { $0[key] = max($0[key], version) } }
    }

    /// A cached pool on `server`: a server of the test's own, so that other tests' flushes, pauses and kills on
    /// the shared one cannot starve the race of hits.
    private func cachedClient(_ server: PrivateRedisServer) async throws -> Redis {
        let redis = try await createRedisPool(server.address, maxSize: 6, clientCache: RedisClientCache())
        if ProcessInfo.processInfo.environment["ASYNCREDIS_CACHE_RACE_UNGUARDED"] == "1" {
            redis.cache!.guardsAgainstRaces = false
        }
        return redis
    }

    /// Runs `writers` and `readers` (each a loop body taking a key index) until `duration` is over.
    /// Runs for `duration`, and on a loaded machine longer (up to 20 s) until `enough` says the race happened.
    private func race(
        writers: Int, readers: Int, enough: @escaping @Sendable () -> Bool,
        write: @escaping @Sendable (Int) async throws -> Void, read: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let start = ContinuousClock.now
        let going: @Sendable () -> Bool = {
            let now = ContinuousClock.now
            return now < start + Self.duration || (!enough() && now < start + .seconds(20))
        }
        try await withTimeLimit(.seconds(40)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<writers {
                    group.addTask {
                        while going() {
                            try await write(Int.random(in: 0..<Self.keyCount))
                            // Keys written without a pause are never cached long enough to be read from memory.
                            try await Task.sleep(for: .microseconds(Int.random(in: 0...2_000)))
                        }
                    }
                }
                for _ in 0..<readers {
                    group.addTask {
                        while going() {
                            try await read(Int.random(in: 0..<Self.keyCount))
                            // A hit never suspends: let writers and the event loop's callbacks run.
                            await Task.yield()
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// What one race found: the keys, the stale reads, each key's last acknowledged version.
    private struct Outcome {
        let keys: [String]
        let staleReads: [String]
        let acknowledged: Versions
    }

    /// 4 writers INCR the keys through `writer` while 16 readers GET them through `reader`'s cache. A read is stale
    /// when it returns less than what another read already returned, or, when `acknowledgedWritesCount` (the
    /// writes go through the cached client itself), less than a write acknowledged before it started.
    private func race(reader: Redis, writer: Redis, acknowledgedWritesCount: Bool) async throws -> Outcome {
        let prefix = uniqueKey()
        let keys = (0..<Self.keyCount).map { "\(prefix):\($0)" }
        for key in keys { try await writer.set(key, 0) }
        let acknowledged = Versions()
        let observed = Versions()
        let stale = NIOLockedValueBox<[String]>([])
        let cache = reader.cache!
        try await race(
            writers: 4, readers: 16, enough: { cache.hits > 100 && cache.misses > 100 && cache.invalidations > 20 },
            write: { index in acknowledged.raise(index, to: try await writer.incr(keys[index])) },
            read: { index in
                let seenBefore = observed.current(index)
                let floor = acknowledgedWritesCount ? max(seenBefore, acknowledged.current(index)) : seenBefore
                let seen = Int(try await reader.get(keys[index]) ?? "") ?? -1
                if seen < floor { stale.withLockedValue { $0.append("\(keys[index]): read \(seen) after \(floor)") } }
                observed.raise(index, to: seen)
            })
        return Outcome(keys: keys, staleReads: stale.withLockedValue { $0 }, acknowledged: acknowledged)
    }

    @Test("writes through the client: no read started after a write's acknowledgement sees an older value")
    func writesThroughTheClient() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let redis = try await cachedClient(server)
        defer { redis.close() }
        let outcome = try await race(reader: redis, writer: redis, acknowledgedWritesCount: true)
        #expect(outcome.staleReads.count == 0, "stale reads, first: \(outcome.staleReads.prefix(3))")
        // The race was real: reads were served from memory, and writes kept invalidating them.
        let cache = try #require(redis.cache)
        #expect(cache.hits > 50 && cache.misses > 50, "hits \(cache.hits), misses \(cache.misses)")
    }

    @Test("writes by another client: reads never go back to an older value than one already read")
    func writesByAnotherClient() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let redis = try await cachedClient(server)
        let writer = try await createRedisPool(server.address, maxSize: 4)
        defer {
            redis.close()
            writer.close()
        }
        let outcome = try await race(reader: redis, writer: writer, acknowledgedWritesCount: false)
        #expect(outcome.staleReads.count == 0, "reads went back, first: \(outcome.staleReads.prefix(3))")
        // Once the writers stop, the last invalidations arrive and every read returns the last value.
        for (index, key) in outcome.keys.enumerated() {
            try await waitUntil(.seconds(5)) { Int(try await redis.get(key) ?? "") == outcome.acknowledged.current(index) }
        }
        let cache = try #require(redis.cache)
        #expect(cache.hits > 50 && cache.invalidations > 10, "hits \(cache.hits), invalidations \(cache.invalidations)")
    }
}
