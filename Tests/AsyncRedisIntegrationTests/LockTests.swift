import AsyncRedis
import AsyncRedisTestSupport
import Synchronization
import Testing

private struct LockBodyFailure: Error {}

/// Who is inside the lock, shared by the contending tasks.
private final class LockHolders: Sendable {
    let state = Mutex((inside: 0, maxInside: 0, entries: 0))
}

@Suite("RedisLock")
struct LockTests {
    @Test("acquire, owned, release; a second holder cannot take it meanwhile")
    func acquireRelease() async throws {
        try await withRedis { redis in
            let name = uniqueKey()
            let lock = RedisLock(redis: redis, name: name, timeout: .seconds(10))
            let rival = RedisLock(redis: redis, name: name, timeout: .seconds(10))
            #expect(try await !lock.owned())
            #expect(try await lock.acquire())
            #expect(try await lock.owned())
            #expect(try await lock.locked())
            #expect(try await !rival.acquire(blocking: false))
            #expect(try await !rival.owned())
            await #expect(throws: LockError.self) { try await rival.release() }
            let ttl = try await redis.execute("PTTL", name, as: Int.self)
            #expect(ttl > 5_000 && ttl <= 10_000)
            try await lock.release()
            #expect(try await !lock.locked())
            #expect(try await rival.acquire(blocking: false))
            try await rival.release()
        }
    }

    @Test("a blocking acquire gives up after its blocking timeout")
    func blockingTimeout() async throws {
        try await withRedis { redis in
            let name = uniqueKey()
            let lock = RedisLock(redis: redis, name: name)
            #expect(try await lock.acquire())
            let rival = RedisLock(redis: redis, name: name, sleep: .milliseconds(20), blockingTimeout: .milliseconds(200))
            let start = ContinuousClock.now
            #expect(try await !rival.acquire())
            #expect(ContinuousClock.now - start < .seconds(2))
            #expect(await (try? rival.withLock { 1 }) == nil)
            try await lock.release()
        }
    }

    @Test("an expired lock is free for others, and its former holder can no longer release it")
    func expiry() async throws {
        try await withRedis { redis in
            let name = uniqueKey()
            let lock = RedisLock(redis: redis, name: name, timeout: .seconds(1))
            #expect(try await lock.acquire())
            let rival = RedisLock(redis: redis, name: name, timeout: .seconds(5), sleep: .milliseconds(20),
                                  blockingTimeout: .seconds(5))
            // Held: a rival cannot take it now (asserted on the server's state, not on elapsed time, which a
            // loaded machine stretches)...
            #expect(try await !rival.acquire(blocking: false))
            // ...and once the holder's timeout runs out, the waiting rival gets it.
            #expect(try await rival.acquire())
            #expect(try await !lock.owned())
            await #expect(throws: LockNotOwnedError.self) { try await lock.release() }
            await #expect(throws: LockError.self) { try await lock.extend(by: .seconds(1)) }
            #expect(try await rival.owned())
            try await rival.release()
        }
    }

    @Test("extend adds time or replaces it; reacquire resets it to the timeout")
    func extendAndReacquire() async throws {
        try await withRedis { redis in
            let name = uniqueKey()
            // Times far apart, so that a loaded machine's seconds between two calls cannot blur them.
            let lock = RedisLock(redis: redis, name: name, timeout: .seconds(20))
            #expect(try await lock.acquire())
            try await lock.extend(by: .seconds(100))
            #expect(try await redis.execute("PTTL", name, as: Int.self) > 100_000)
            try await lock.extend(by: .seconds(50), replaceTTL: true)
            let replaced = try await redis.execute("PTTL", name, as: Int.self)
            #expect(replaced > 30_000 && replaced <= 50_000)
            try await lock.reacquire()
            #expect(try await redis.execute("PTTL", name, as: Int.self) <= 20_000)
            // Someone else's token: neither extend nor reacquire touch it.
            _ = try await redis.execute("SET", name, "someone-else")
            await #expect(throws: LockNotOwnedError.self) { try await lock.extend(by: .seconds(1)) }
            await #expect(throws: LockNotOwnedError.self) { try await lock.reacquire() }
            #expect(try await redis.execute("GET", name, as: String.self) == "someone-else")
            await #expect(throws: LockNotOwnedError.self) { try await lock.release() }
            #expect(try await redis.execute("GET", name, as: String.self) == "someone-else")

            let forever = RedisLock(redis: redis, name: uniqueKey())
            #expect(try await forever.acquire())
            await #expect(throws: LockError.self) { try await forever.extend(by: .seconds(1)) }
            await #expect(throws: LockError.self) { try await forever.reacquire() }
            try await forever.release()
            _ = try await redis.execute("DEL", name)
        }
    }

    @Test("withLock releases on every path, errors included")
    func withLockReleases() async throws {
        try await withRedis { redis in
            let name = uniqueKey()
            let lock = RedisLock(redis: redis, name: name, timeout: .seconds(10))
            let ownedInside: Bool = try await lock.withLock { try await lock.owned() }
            #expect(ownedInside)
            let lockedAfter = try await lock.locked()
            #expect(!lockedAfter)
            await #expect(throws: LockBodyFailure.self) {
                let _: Int = try await lock.withLock { throw LockBodyFailure() }
            }
            let lockedAfterFailure = try await lock.locked()
            #expect(!lockedAfterFailure)
        }
    }

    @Test("holders contending for one lock are never inside together")
    func mutualExclusion() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 4)
        defer { redis.close() }
        let name = uniqueKey()
        let holders = LockHolders()
        try await withTimeLimit(.seconds(60)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        for _ in 0..<8 {
                            let lock = RedisLock(redis: redis, name: name, timeout: .seconds(10),
                                                 sleep: .milliseconds(5))
                            try await lock.withLock {
                                holders.state.withLock {
                                    $0.inside += 1
                                    $0.entries += 1
                                    $0.maxInside = max($0.maxInside, $0.inside)
                                }
                                try await Task.sleep(for: .milliseconds(5))
                                holders.state.withLock { $0.inside -= 1 }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let final = holders.state.withLock { $0 }
        #expect(final.maxInside == 1)
        #expect(final.entries == 24)
        #expect(try await redis.execute("EXISTS", name, as: Int.self) == 0)
    }
}
