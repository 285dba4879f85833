import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import AsyncRedis

/// The client cache's bookkeeping, without a server: the byte bound, expiry, and the markers that keep an answer
/// older than an invalidation out of the cache.
/// The storage under test, by reference: `#expect` cannot capture an `inout` value.
private final class StorageBox {
    var value: ClientCacheStorage
    init(_ value: ClientCacheStorage) { self.value = value }
}

@Suite("Client cache storage")
struct ClientCacheStorageTests {
    private func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
    private func value(_ text: String) -> RESPValue { .bulkString(ByteBuffer(string: text)) }

    /// Fills `key` (a GET of `redisKey`) with `text` through a load begun now.
    @discardableResult
    private func load(
        _ storage: inout ClientCacheStorage, _ redisKey: String, _ text: String, now: ContinuousClock.Instant? = nil
    ) -> Bool {
        let token = storage.beginLoad(buffer(redisKey))!
        return storage.fill(
            buffer("GET " + redisKey), redisKey: buffer(redisKey), value: value(text), token: token, now: now)
    }

    @Test("entries beyond maxBytes are evicted least recently used first; a lookup makes an entry recent")
    func lruByBytes() {
        let entry = ClientCacheStorage.entryOverhead + 2 * "GET k0".utf8.count + 32 + 1
        let storage = StorageBox(ClientCacheStorage(maxBytes: 3 * entry, ttl: nil))
        for index in 0..<3 { load(&storage.value, "k\(index)", "v") }
        #expect(storage.value.count == 3)
        #expect(storage.value.bytes <= 3 * entry)
        _ = storage.value.lookup(buffer("GET k0"), now: nil)
        load(&storage.value, "k3", "v")
        #expect(storage.value.count == 3)
        #expect(storage.value.lookup(buffer("GET k1"), now: nil) == nil, "the least recently used entry goes first")
        #expect(storage.value.lookup(buffer("GET k0"), now: nil) == value("v"))
        #expect(storage.value.lookup(buffer("GET k3"), now: nil) == value("v"))
        #expect(storage.value.bytes <= storage.value.maxBytes)
    }

    @Test("a reply larger than the whole cache is not kept")
    func oversized() {
        let storage = StorageBox(ClientCacheStorage(maxBytes: 300, ttl: nil))
        #expect(!load(&storage.value, "big", String(repeating: "x", count: 400)))
        #expect(storage.value.count == 0 && storage.value.bytes == 0)
    }

    @Test("an entry older than the ttl is a miss, and is removed")
    func ttl() {
        let storage = StorageBox(ClientCacheStorage(maxBytes: 1 << 20, ttl: .seconds(1)))
        let start = ContinuousClock.now
        load(&storage.value, "k", "v", now: start)
        #expect(storage.value.lookup(buffer("GET k"), now: start + .milliseconds(500)) == value("v"))
        #expect(storage.value.lookup(buffer("GET k"), now: start + .seconds(2)) == nil)
        #expect(storage.value.count == 0 && storage.value.bytes == 0)
    }

    @Test("an invalidation that arrives while a read is in flight keeps its answer out of the cache")
    func invalidationDuringLoad() {
        let storage = StorageBox(ClientCacheStorage(maxBytes: 1 << 20, ttl: nil))
        let token = storage.value.beginLoad(buffer("k"))!
        #expect(storage.value.invalidate(buffer("k")) == 0)
        let filled = storage.value.fill(buffer("GET k"), redisKey: buffer("k"), value: value("old"), token: token, now: nil)
        #expect(!filled)
        #expect(storage.value.lookup(buffer("GET k"), now: nil) == nil)
        // A read begun after the invalidation fills.
        #expect(load(&storage.value, "k", "new"))
        #expect(storage.value.lookup(buffer("GET k"), now: nil) == value("new"))
    }

    @Test("without the guards (the race test's switch), a read in flight fills with its old answer")
    func unguarded() {
        let storage = StorageBox(ClientCacheStorage(maxBytes: 1 << 20, ttl: nil))
        storage.value.guardsAgainstRaces = false
        let token = storage.value.beginLoad(buffer("k"))!
        storage.value.invalidate(buffer("k"))
        let filled = storage.value.fill(buffer("GET k"), redisKey: buffer("k"), value: value("old"), token: token, now: nil)
        #expect(filled)
    }

    @Test("invalidating a key removes every entry of it (GET, HGET ...) and no other")
    func invalidateKey() {
        let storage = StorageBox(ClientCacheStorage(maxBytes: 1 << 20, ttl: nil))
        load(&storage.value, "k", "v")
        let token = storage.value.beginLoad(buffer("k"))!
        let filled = storage.value.fill(buffer("HGET k f"), redisKey: buffer("k"), value: value("f"), token: token, now: nil)
        #expect(filled)
        load(&storage.value, "other", "v")
        #expect(storage.value.invalidate(buffer("k")) == 2)
        #expect(storage.value.count == 1)
        #expect(storage.value.lookup(buffer("GET other"), now: nil) == value("v"))
        storage.value.invalidateAll()
        #expect(storage.value.count == 0 && storage.value.bytes == 0)
    }

    @Test("while a write of the key is in flight, reads of it do not fill; after it, they do")
    func writeInFlight() {
        let storage = StorageBox(ClientCacheStorage(maxBytes: 1 << 20, ttl: nil))
        load(&storage.value, "k", "v1")
        let before = storage.value.beginLoad(buffer("k"))!
        storage.value.beginWrite([buffer("k")])
        #expect(storage.value.lookup(buffer("GET k"), now: nil) == nil, "the write evicts the key at once")
        #expect(storage.value.beginLoad(buffer("k")) == nil)
        let filled = storage.value.fill(buffer("GET k"), redisKey: buffer("k"), value: value("v1"), token: before, now: nil)
        #expect(!filled)
        storage.value.endWrite([buffer("k")])
        #expect(load(&storage.value, "k", "v2"))
        storage.value.beginWholeCacheWrite()
        #expect(storage.value.count == 0)
        #expect(storage.value.beginLoad(buffer("other")) == nil)
        storage.value.endWholeCacheWrite()
        #expect(storage.value.beginLoad(buffer("other")) != nil)
    }

    @Test("the byte count stays exact through replacements and evictions")
    func byteAccounting() {
        let storage = StorageBox(ClientCacheStorage(maxBytes: 5_000, ttl: nil))
        for round in 0..<200 { load(&storage.value, "k\(round % 37)", String(repeating: "v", count: round % 50)) }
        var recount = 0
        for index in 0..<37 {
            if let cached = storage.value.lookup(buffer("GET k\(index)"), now: nil) {
                recount += ClientCacheStorage.entryOverhead + 2 * "k\(index)".utf8.count + 4
                    + ClientCacheStorage.size(of: cached)
            }
        }
        #expect(recount == storage.value.bytes)
        #expect(storage.value.bytes <= 5_000)
    }
}

@Suite("Client cache: commands and pushes")
struct ClientCacheCommandTests {
    @Test("cacheable reads come from the command table: readonly, deterministic, keys known")
    func roles() {
        for command in [
            "GET", "get", "HGET", "HGETALL", "HMGET", "SMEMBERS", "SISMEMBER", "ZSCORE", "ZRANGE", "ZRANGEBYSCORE",
            "EXISTS", "TYPE", "STRLEN", "LRANGE", "MGET",
        ] {
            guard case .cacheableRead = CacheableCommands.role(command) else {
                Issue.record("\(command) should be cacheable")
                continue
            }
        }
        for command in ["SRANDMEMBER", "TTL", "PTTL", "TOUCH", "SORT_RO", "EVAL_RO", "XREAD", "RANDOMKEY", "SCAN"] {
            if case .cacheableRead = CacheableCommands.role(command) { Issue.record("\(command) must not be cached") }
        }
        for command in ["SET", "HSET", "DEL", "INCR", "EVAL", "FCALL", "EXPIRE"] {
            guard case .write = CacheableCommands.role(command) else {
                Issue.record("\(command) should invalidate its keys")
                continue
            }
        }
        for command in ["FLUSHALL", "FLUSHDB", "SWAPDB", "NOT.A.COMMAND"] {
            guard case .writeAnything = CacheableCommands.role(command) else {
                Issue.record("\(command) should invalidate everything")
                continue
            }
        }
        for command in ["PING", "INFO", "CLIENT", "PUBLISH"] {
            guard case .neutral = CacheableCommands.role(command) else {
                Issue.record("\(command) should not touch the cache")
                continue
            }
        }
    }

    @Test("cache keys tell argument lists apart and fold the command's case")
    func cacheKeys() {
        #expect(CacheableCommands.cacheKey("get", ["a"]) == CacheableCommands.cacheKey("GET", ["a"]))
        #expect(CacheableCommands.cacheKey("HGET", ["ab", "c"]) != CacheableCommands.cacheKey("HGET", ["a", "bc"]))
        #expect(CacheableCommands.keys("HGET", ["h", "f"]) == [ByteBuffer(string: "h")])
    }

    @Test("an invalidate push reaches the handler, in order with the replies around it")
    func invalidatePushRouting() async throws {
        var state = ConnectionStateMachine(db: 0, allocator: ByteBufferAllocator())
        let seen = NIOLockedValueBox<[ClientCacheInvalidation]>([])
        state.invalidationHandler = { keys in seen.withLockedValue { $0.append(ClientCacheInvalidation(keys)) } }
        let reply = try await withUnsafeThrowingContinuation { (continuation: ConnectionStateMachine.ReplyContinuation) in
            _ = state.send(
                id: 1, command: "GET", arguments: ["k"], effect: .none, limit: .none, continuation: continuation)
            var replies: [RESPValue] = [
                .push([.bulkString(ByteBuffer(string: "invalidate")), .array([.bulkString(ByteBuffer(string: "k"))])]),
                .bulkString(ByteBuffer(string: "v")),
                .push([.bulkString(ByteBuffer(string: "INVALIDATE")), .null]),
            ]
            var actions: [ConnectionStateMachine.Action] = []
            try! state.receive(&replies, into: &actions)
            #expect(actions.count == 3)
            guard case .invalidate = actions[0], case .resume = actions[1], case .invalidate = actions[2] else {
                Issue.record("actions out of read order: \(actions)")
                return
            }
            for action in actions { action.run() }
        }
        #expect(reply == .bulkString(ByteBuffer(string: "v")))
        #expect(seen.withLockedValue { $0 } == [.keys([ByteBuffer(string: "k")]), .everything])
    }

    @Test("a hit is shaped as the RESP2 reply a RESP2 caller would get from the server")
    func resp2Shapes() {
        let map = RESPValue.map([RESPPair(key: .bulkString(ByteBuffer(string: "f")), value: .double(1.5))])
        #expect(map.resp2Shaped == .array([.bulkString(ByteBuffer(string: "f")), .bulkString(ByteBuffer(string: "1.5"))]))
        #expect(RESPValue.double(3).resp2Shaped == .bulkString(ByteBuffer(string: "3")))
        #expect(RESPValue.double(-.infinity).resp2Shaped == .bulkString(ByteBuffer(string: "-inf")))
        #expect(RESPValue.null.resp2Shaped == .bulkString(nil))
        #expect(RESPValue.set([.integer(1)]).resp2Shaped == .array([.integer(1)]))
        #expect(RESPValue.boolean(true).resp2Shaped == .integer(1))
    }

    @Test("bad options are refused with a clear error")
    func validation() {
        #expect(throws: InvalidArgumentError.self) { try RedisClientCache(maxBytes: 0).validate() }
        #expect(throws: InvalidArgumentError.self) { try RedisClientCache(ttl: .zero).validate() }
        #expect(throws: InvalidArgumentError.self) { try RedisClientCache(prefixes: [""]).validate() }
        #expect(RedisClientCache(prefixes: ["user:"]).covers(ByteBuffer(string: "user:1")))
        #expect(!RedisClientCache(prefixes: ["user:"]).covers(ByteBuffer(string: "session:1")))
    }
}
