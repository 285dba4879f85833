import NIOCore

/// The cached replies and the bookkeeping that keeps them correct, as a value with no I/O and no lock of its
/// own (`RedisCache` holds it under one): an LRU list bounded by bytes, optional expiry, and the markers of
/// reads and writes in flight.
///
/// The race it closes: a read sent before a key changed may be answered with the old value after the key's
/// invalidation was already processed; filling the cache with that answer would keep the old value until the
/// next change. So a read registers a load token for its key before it is sent (`beginLoad`), every
/// invalidation of the key withdraws the tokens registered so far, and `fill` stores a reply only if its token is
/// still there. A write sent through this client withdraws them too, and while it is in flight no read of its
/// key may fill (`beginWrite`/`endWrite`): a read started after the write's acknowledgement never meets a value
/// older than the write.
struct ClientCacheStorage {
    struct Entry {
        let key: ByteBuffer
        let redisKey: ByteBuffer
        let value: RESPValue
        let bytes: Int
        let expiry: ContinuousClock.Instant?
        /// Neighbours in the recency list (slot numbers, -1 at the ends).
        var newer = -1
        var older = -1
    }

    let maxBytes: Int
    let ttl: Duration?
    /// Off only in tests, to show that the race test fails without load tokens and write markers.
    var guardsAgainstRaces = true
    private(set) var bytes = 0
    private var slots: [Entry?] = []
    private var freeSlots: [Int] = []
    private var slotOfKey: [ByteBuffer: Int] = [:]
    private var slotsOfRedisKey: [ByteBuffer: [Int]] = [:]
    private var newest = -1
    private var oldest = -1
    private var loads: [ByteBuffer: Set<UInt64>] = [:]
    private var writes: [ByteBuffer: Int] = [:]
    private var wholeCacheWrites = 0
    private var nextToken: UInt64 = 0

    init(maxBytes: Int, ttl: Duration?) {
        self.maxBytes = maxBytes
        self.ttl = ttl
    }

    var count: Int { slotOfKey.count }

    /// Bookkeeping per entry beyond its bytes: the slot, two dictionary entries, the key's list and the storage
    /// headers of its three buffers (the cache key, the Redis key, the value), with the allocator's rounding.
    /// `cached-get` in scripts/bench.sh measures the resident memory per entry to check it: about 900 bytes for a
    /// 26-byte key and a 3-byte value (2026-11-30), about 840 beyond the key's and value's bytes. 400, the
    /// figure before, let the cache hold about twice `maxBytes`.
    static let entryOverhead = 800

    // MARK: Reading

    /// The reply cached under `key`, made the most recently used; `nil` when absent or expired (then removed).
    mutating func lookup(_ key: ByteBuffer, now: ContinuousClock.Instant?) -> RESPValue? {
        // Fields read one by one: a copy of the whole entry would retain and release each of its buffers.
        guard let slot = slotOfKey[key], let value = slots[slot]?.value else { return nil }
        if let expiry = slots[slot]?.expiry, let now, now >= expiry {
            remove(slot: slot)
            return nil
        }
        if slot != newest {
            unlink(slot)
            linkAsNewest(slot)
        }
        return value
    }

    /// Registers a read of `redisKey` about to be sent; `nil` when its reply must not be cached (a write of the
    /// key is in flight).
    mutating func beginLoad(_ redisKey: ByteBuffer) -> UInt64? {
        guard !guardsAgainstRaces || wholeCacheWrites == 0 && writes[redisKey] == nil else { return nil }
        nextToken += 1
        loads[redisKey, default: []].insert(nextToken)
        return nextToken
    }

    /// Forgets a load that will not fill (its read failed).
    mutating func abandonLoad(_ redisKey: ByteBuffer, token: UInt64) {
        _ = takeToken(redisKey, token)
    }

    /// Caches `value` under `key` if nothing invalidated `redisKey` since `beginLoad` gave `token`; returns
    /// whether it did. Evicts the least recently used entries beyond `maxBytes`.
    mutating func fill(
        _ key: ByteBuffer, redisKey: ByteBuffer, value: RESPValue, token: UInt64, now: ContinuousClock.Instant?
    ) -> Bool {
        guard takeToken(redisKey, token) || !guardsAgainstRaces else { return false }
        let size = Self.entryOverhead + key.readableBytes + redisKey.readableBytes + Self.size(of: value)
        guard size <= maxBytes else { return false }
        if let existing = slotOfKey[key] { remove(slot: existing) }
        let expiry = ttl.flatMap { ttl in now.map { $0 + ttl } }
        let entry = Entry(key: key, redisKey: redisKey, value: value, bytes: size, expiry: expiry)
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
            slots[slot] = entry
        } else {
            slot = slots.count
            slots.append(entry)
        }
        slotOfKey[key] = slot
        slotsOfRedisKey[redisKey, default: []].append(slot)
        linkAsNewest(slot)
        bytes += size
        while bytes > maxBytes, oldest != -1 { remove(slot: oldest) }
        return true
    }

    // MARK: Invalidating

    /// `redisKey` changed: its entries go, and reads of it in flight will not fill. Returns the entries removed.
    @discardableResult
    mutating func invalidate(_ redisKey: ByteBuffer) -> Int {
        loads[redisKey] = nil
        guard let keySlots = slotsOfRedisKey.removeValue(forKey: redisKey) else { return 0 }
        for slot in keySlots { remove(slot: slot, listedUnder: nil) }
        return keySlots.count
    }

    /// Every key may have changed (FLUSHALL, a lost tracking connection, `clear()`).
    mutating func invalidateAll() {
        loads.removeAll()
        slots.removeAll()
        freeSlots.removeAll()
        slotOfKey.removeAll()
        slotsOfRedisKey.removeAll()
        newest = -1
        oldest = -1
        bytes = 0
    }

    /// A write of `redisKeys` is about to be sent through this client.
    mutating func beginWrite(_ redisKeys: [ByteBuffer]) {
        for key in redisKeys {
            invalidate(key)
            writes[key, default: 0] += 1
        }
    }

    /// The write `beginWrite` announced was answered (or failed).
    mutating func endWrite(_ redisKeys: [ByteBuffer]) {
        for key in redisKeys {
            guard let count = writes[key] else { continue }
            writes[key] = count > 1 ? count - 1 : nil
        }
    }

    /// A write whose keys are unknown (FLUSHDB, a command the table lacks) is about to be sent.
    mutating func beginWholeCacheWrite() {
        invalidateAll()
        wholeCacheWrites += 1
    }

    mutating func endWholeCacheWrite() {
        wholeCacheWrites -= 1
    }

    // MARK: The list

    private mutating func takeToken(_ redisKey: ByteBuffer, _ token: UInt64) -> Bool {
        guard var tokens = loads[redisKey], tokens.remove(token) != nil else { return false }
        loads[redisKey] = tokens.isEmpty ? nil : tokens
        return true
    }

    private mutating func remove(slot: Int) {
        remove(slot: slot, listedUnder: slots[slot]?.redisKey)
    }

    /// Removes one entry; `listedUnder` is its Redis key when its slot must also leave that key's list.
    private mutating func remove(slot: Int, listedUnder redisKey: ByteBuffer?) {
        guard let entry = slots[slot] else { return }
        unlink(slot)
        slots[slot] = nil
        freeSlots.append(slot)
        slotOfKey[entry.key] = nil
        bytes -= entry.bytes
        if let redisKey, var keySlots = slotsOfRedisKey[redisKey] {
            keySlots.removeAll { $0 == slot }
            slotsOfRedisKey[redisKey] = keySlots.isEmpty ? nil : keySlots
        }
    }

    private mutating func unlink(_ slot: Int) {
        guard let entry = slots[slot] else { return }
        if entry.newer != -1 { slots[entry.newer]!.older = entry.older } else { newest = entry.older }
        if entry.older != -1 { slots[entry.older]!.newer = entry.newer } else { oldest = entry.newer }
        slots[slot]!.newer = -1
        slots[slot]!.older = -1
    }

    private mutating func linkAsNewest(_ slot: Int) {
        slots[slot]!.older = newest
        slots[slot]!.newer = -1
        if newest != -1 { slots[newest]!.newer = slot }
        newest = slot
        if oldest == -1 { oldest = slot }
    }

    /// An estimate of the memory a reply holds: its bytes plus a fixed cost per value.
    static func size(of value: RESPValue) -> Int {
        switch value {
        case .simpleString(let bytes), .error(let bytes), .bulkString(.some(let bytes)), .verbatimString(_, let bytes):
            return 32 + bytes.readableBytes
        case .array(.some(let items)), .set(let items), .push(let items):
            return 32 + items.reduce(0) { $0 + size(of: $1) }
        case .map(let pairs):
            return 32 + pairs.reduce(0) { $0 + size(of: $1.key) + size(of: $1.value) }
        case .attribute(let pairs, let inner):
            return size(of: .map(pairs)) + size(of: inner)
        case .bigNumber(let text):
            return 32 + text.utf8.count
        case .integer, .bulkString(nil), .array(nil), .null, .double, .boolean:
            return 32
        }
    }
}
