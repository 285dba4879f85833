import AsyncRedis
import AsyncRedisTestSupport
import NIOCore
import Testing

/// An entry as the tests expect it: text fields in order.
private func entry(_ id: String, _ fields: KeyValuePairs<String, String>) -> StreamEntry {
    StreamEntry(id: id, fields: fields.map { StreamField(name: $0.key, value: ByteBuffer(string: $0.value)) })
}

/// Waits until the server shows a client blocked in `command` (CLIENT LIST: flags with `b`, `cmd=`).
private func waitUntilBlocked(_ redis: Redis, in command: String) async throws {
    for _ in 0..<200 {
        let clients = try await redis.execute("CLIENT", "LIST", as: String.self)
        let blocked = clients.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.contains("cmd=\(command)")
                && fields.contains { $0.hasPrefix("flags=") && $0.dropFirst("flags=".count).contains("b") }
        }
        if blocked { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TestSetupError("no client blocked in \(command) after 2 s")
}

@Suite("Commands: streams")
struct CommandsStreamTests {
    @Test("xadd: explicit and server-chosen IDs, NOMKSTREAM, field order and bytes", arguments: [2, 3])
    func xadd(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            #expect(try await redis.xadd(key, fields: ["a": "1"], noMkStream: true) == nil)
            #expect(try await redis.exists(key) == 0)
            #expect(try await redis.xadd(key, id: "1-1", fields: ["b": "2", "a": 1, "b": 3.5]) == "1-1")
            let binary: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A]
            let generated: String = try await redis.xadd(key, fields: [("blob", binary), ("n", 42)])
            let parts = generated.split(separator: "-").map { Int($0) }
            let milliseconds = try #require(parts.first ?? nil)
            #expect(parts.count == 2 && milliseconds > 1_600_000_000_000 && parts.last! != nil)
            // NOMKSTREAM on an existing stream adds as usual.
            #expect(try await redis.xadd(key, id: "\(milliseconds + 1)-0", fields: ["x": "y"], noMkStream: true)
                == "\(milliseconds + 1)-0")
            // An ID not above the last one is the server's error.
            await expectReplyError(code: "ERR") { try await redis.xadd(key, id: "1-1", fields: ["a": "1"]) }

            let entries = try await redis.xrange(key)
            #expect(entries.count == 3)
            #expect(entries[0] == entry("1-1", ["b": "2", "a": "1", "b": "3.5"]))
            #expect(entries[0]["b"] == ByteBuffer(string: "2"))  // the first of a repeated name
            #expect(entries[0].string("a") == "1")
            #expect(try entries[0].value("b", as: Int.self) == 2)
            #expect(try entries[0].value("missing", as: Int.self) == nil)
            #expect(entries[0].stringFields()!.map { "\($0.name)=\($0.value)" } == ["b=2", "a=1", "b=3.5"])
            #expect(entries[1].id == generated)
            #expect(entries[1]["blob"] == ByteBuffer(bytes: binary))
            #expect(try entries[1].value("blob", as: [UInt8].self) == binary)
            #expect(entries[1].string("blob") == nil)  // not UTF-8
            #expect(try entries[1].value("n", as: Int.self) == 42)
            #expect(entries.allSatisfy { !$0.isDeleted })
            try await redis.del(key)
        }
    }

    @Test("xadd and xtrim trimming: exact and approximate MAXLEN, MINID, LIMIT")
    func trimming() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            for i in 1...20 { try await redis.xadd(key, id: "\(i)-0", fields: ["i": i], trim: .maxLen(5)) }
            #expect(try await redis.xlen(key) == 5)
            #expect(try await redis.xrange(key).map(\.id) == ["16-0", "17-0", "18-0", "19-0", "20-0"])
            try await redis.xadd(key, id: "21-0", fields: ["i": 21], trim: .minID("19-0"))
            #expect(try await redis.xrange(key).map(\.id) == ["19-0", "20-0", "21-0"])
            try await redis.del(key)

            // Approximate trimming only drops whole radix-tree nodes (100 entries each by default): it leaves at
            // least as many entries as asked, and more than an exact trim would.
            for i in 1...300 { try await redis.xadd(key, id: "\(i)-0", fields: ["i": i]) }
            #expect(try await redis.xlen(key) == 300)
            try await redis.xadd(key, id: "301-0", fields: ["i": 301], trim: .maxLen(10, approximate: true))
            let approximateLength = try await redis.xlen(key)
            #expect(approximateLength >= 10 && approximateLength < 301)
            #expect(approximateLength > 10)
            // LIMIT caps the entries one approximate trim evicts: a whole node is more than 50, so none go.
            let limited = try await redis.xtrim(key, .maxLen(0, approximate: true), limit: 50)
            #expect(limited <= 50)
            #expect(try await redis.xlen(key) == approximateLength - limited)
            // Without LIMIT an exact trim goes all the way.
            #expect(try await redis.xtrim(key, .maxLen(3)) == approximateLength - limited - 3)
            #expect(try await redis.xrange(key).map(\.id) == ["299-0", "300-0", "301-0"])
            #expect(try await redis.xtrim(key, .minID("301-0")) == 2)
            #expect(try await redis.xtrim(key, .minID("0-1", approximate: true), limit: 10) == 0)
            #expect(try await redis.xlen(key) == 1)

            await expectInvalidArgument { try await redis.xtrim(key, .maxLen(5), limit: 10) }  // LIMIT needs ~
            await expectInvalidArgument { try await redis.xtrim(key, .maxLen(-1)) }
            await expectInvalidArgument { try await redis.xtrim(key, .minID("")) }
            await expectInvalidArgument { try await redis.xadd(key, fields: ["a": 1], limit: 10) }
            await expectInvalidArgument { try await redis.xadd(key, fields: [(String, any RedisArgument)]()) }
            await expectInvalidArgument { try await redis.xadd(key, id: "", fields: ["a": 1]) }
            #expect(try await redis.xlen(key) == 1)  // nothing invalid reached the server
            try await redis.del(key)
        }
    }

    @Test("xrange and xrevrange: bounds, exclusive bounds, count", arguments: [2, 3])
    func ranges(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            #expect(try await redis.xrange(key) == [])
            for i in 1...5 { try await redis.xadd(key, id: "\(i)-1", fields: ["n": "\(i)", "sq": "\(i * i)"]) }
            #expect(try await redis.xrange(key, count: 2) == [entry("1-1", ["n": "1", "sq": "1"]),
                                                             entry("2-1", ["n": "2", "sq": "4"])])
            #expect(try await redis.xrange(key, start: "2", end: "4").map(\.id) == ["2-1", "3-1", "4-1"])
            #expect(try await redis.xrange(key, start: "(2-1", count: 2).map(\.id) == ["3-1", "4-1"])
            #expect(try await redis.xrevrange(key, count: 2) == [entry("5-1", ["n": "5", "sq": "25"]),
                                                                entry("4-1", ["n": "4", "sq": "16"])])
            #expect(try await redis.xrevrange(key, end: "3-1", start: "2-0").map(\.id) == ["3-1", "2-1"])
            #expect(try await redis.xrevrange(key, end: "(3-1").map(\.id) == ["2-1", "1-1"])
            await expectInvalidArgument { try await redis.xrange(key, count: 0) }
            await expectInvalidArgument { try await redis.xrevrange(key, count: -1) }
            await expectReplyError(code: "ERR") { try await redis.xrange(key, start: "not-an-id") }
            try await redis.del(key)
        }
    }

    @Test("xread: entries after each ID, per stream in the order asked, quiet streams left out", arguments: [2, 3])
    func xread(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let first = uniqueKey(), second = uniqueKey(), quiet = uniqueKey()
            for i in 1...3 { try await redis.xadd(first, id: "\(i)-0", fields: ["f": i]) }
            try await redis.xadd(second, id: "7-0", fields: ["s": "x"])
            try await redis.xadd(quiet, id: "1-0", fields: ["q": "q"])
            let results = try await redis.xread(streams: [second: "0", quiet: "$", first: "1-0"])
            #expect(results == [
                StreamReadResult(key: second, entries: [entry("7-0", ["s": "x"])]),
                StreamReadResult(key: first, entries: [entry("2-0", ["f": "2"]), entry("3-0", ["f": "3"])]),
            ])
            let counted = try await redis.xread(streams: [(key: first, id: "0-0")], count: 1)
            #expect(counted == [StreamReadResult(key: first, entries: [entry("1-0", ["f": "1"])])])
            // Nothing new, no BLOCK: an empty array (the server's nil).
            #expect(try await redis.xread(streams: [first: "$", second: "7-0"]) == [])
            await expectInvalidArgument { try await redis.xread(streams: [(key: String, id: String)]()) }
            await expectInvalidArgument { try await redis.xread(streams: [first: "0"], count: 0) }
            await expectInvalidArgument { try await redis.xread(streams: [first: "0"], block: .milliseconds(-1)) }
            await expectInvalidArgument { try await redis.xread(streams: [first: ""]) }
            try await redis.del(first, second, quiet)
        }
    }

    @Test("xread BLOCK times out with an empty result after about the time asked", arguments: [2, 3])
    func xreadBlockTimeout(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            try await redis.xadd(key, id: "1-0", fields: ["a": 1])
            let clock = ContinuousClock()
            let start = clock.now
            let results = try await redis.xread(streams: [key: "$"], block: .milliseconds(200))
            let elapsed = clock.now - start
            #expect(results == [])
            #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(3), "\(elapsed)")
            try await redis.del(key)
        }
    }

    @Test("xread BLOCK on a pool is woken by xadd from another connection; other callers are not stalled",
          arguments: [2, 3])
    func xreadBlockWakesOnPool(protocolVersion: Int) async throws {
        let key = uniqueKey()
        let pool = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 3,
                                             protocolVersion: protocolVersion)
        defer { pool.close() }
        try await withRedis { other in
            try await other.xadd(key, id: "1-0", fields: ["old": "entry"])
            try await withTimeLimit(.seconds(10)) {
                async let read = pool.xread(streams: [key: "1-0"], block: .seconds(8))
                try await waitUntilBlocked(other, in: "xread")
                // The pool keeps serving while one of its connections is blocked: well before the read's 8 s
                // BLOCK ends (behind it these would wait that long), with room for a new connection on a loaded
                // machine.
                let pinged = try await withTimeLimit(.seconds(6)) {
                    try await pool.set(key + ":side", "v")
                    return try await pool.get(key + ":side")
                }
                #expect(pinged == "v")
                let id = try await other.xadd(key, fields: ["new": "entry"])
                let results = try await read
                #expect(results.count == 1)
                #expect(results.first?.key == key)
                #expect(results.first?.entries.map(\.id) == [id])
                #expect(results.first?.entries.first?.string("new") == "entry")
            }
            try await other.del(key, key + ":side")
        }
    }

    @Test("consumer group round trip: create, read, pending, claim, autoclaim, ack, info", arguments: [2, 3])
    func consumerGroup(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            #expect(try await redis.xgroupCreate(key, "workers", id: "0", mkStream: true))
            #expect(try await redis.xlen(key) == 0)
            await expectReplyError(code: "BUSYGROUP") { try await redis.xgroupCreate(key, "workers") }
            for i in 1...3 { try await redis.xadd(key, id: "\(i)-0", fields: ["job": "j\(i)"]) }

            // `>`: entries never delivered to the group; they become pending for the reader.
            let alice = try await redis.xreadgroup(group: "workers", consumer: "alice", streams: [key: ">"], count: 2)
            #expect(alice == [StreamReadResult(key: key, entries: [entry("1-0", ["job": "j1"]),
                                                                   entry("2-0", ["job": "j2"])])])
            let bob = try await redis.xreadgroup(group: "workers", consumer: "bob", streams: [(key: key, id: ">")])
            #expect(bob.first?.entries.map(\.id) == ["3-0"])
            #expect(try await redis.xreadgroup(group: "workers", consumer: "bob", streams: [key: ">"]) == [])

            let summary = try await redis.xpending(key, "workers")
            #expect(summary == StreamPendingSummary(
                count: 3, smallestID: "1-0", greatestID: "3-0",
                consumers: [StreamConsumerPendingCount(name: "alice", count: 2),
                            StreamConsumerPendingCount(name: "bob", count: 1)]))
            let pending = try await redis.xpending(key, "workers", count: 10)
            #expect(pending.map(\.id) == ["1-0", "2-0", "3-0"])
            #expect(pending.map(\.consumer) == ["alice", "alice", "bob"])
            #expect(pending.allSatisfy { $0.deliveryCount == 1 && $0.idleMilliseconds >= 0 })
            #expect(try await redis.xpending(key, "workers", start: "2-0", count: 10).map(\.id) == ["2-0", "3-0"])
            #expect(try await redis.xpending(key, "workers", count: 10, consumer: "bob").map(\.id) == ["3-0"])
            #expect(try await redis.xpending(key, "workers", count: 10, minIdleTime: .seconds(3600)) == [])

            // XCLAIM: only entries idle long enough move; a claim counts as a delivery.
            #expect(try await redis.xclaim(key, "workers", "bob", minIdleTime: .seconds(3600), ids: ["1-0"]) == [])
            let claimed = try await redis.xclaim(key, "workers", "bob", minIdleTime: .zero, ids: ["1-0", "9-0"])
            #expect(claimed == [entry("1-0", ["job": "j1"])])
            func pendingByID() async throws -> [String: StreamPendingEntry] {
                let pending = try await redis.xpending(key, "workers", count: 10)
                return Dictionary(uniqueKeysWithValues: pending.map { ($0.id, $0) })
            }
            var byID = try await pendingByID()
            #expect(byID["1-0"]?.consumer == "bob")
            #expect(byID["1-0"]?.deliveryCount == 2)
            // JUSTID answers the IDs and leaves the delivery count alone; RETRYCOUNT sets it.
            #expect(try await redis.xclaimJustID(key, "workers", "alice", minIdleTime: .zero, ids: ["1-0"],
                                                 retryCount: 7) == ["1-0"])
            byID = try await pendingByID()
            #expect(byID["1-0"]?.consumer == "alice")
            #expect(byID["1-0"]?.deliveryCount == 7)
            // IDLE sets the idle time the server reports.
            try await redis.xclaimJustID(key, "workers", "alice", minIdleTime: .zero, ids: ["2-0"],
                                         idle: .seconds(60))
            let idle = try await redis.xpending(key, "workers", count: 1, consumer: "alice", minIdleTime: .seconds(59))
            #expect(idle.map(\.id) == ["2-0"])
            #expect((idle.first?.idleMilliseconds ?? 0) >= 60_000)

            // XAUTOCLAIM scans the pending list; a deleted entry is reported and dropped from it. Redis 6.2
            // neither reports nor drops it: the entry stays pending, claimed like the others.
            let redis7 = TestServerFlavour.isAtLeast(7)
            try await redis.xdel(key, "2-0")
            let auto = try await redis.xautoclaim(key, "workers", "carol", minIdleTime: .zero, count: 10)
            #expect(auto.nextStart == "0-0")
            #expect(auto.entries == [entry("1-0", ["job": "j1"]), entry("3-0", ["job": "j3"])])
            #expect(auto.deletedIDs == (redis7 ? ["2-0"] : []))
            let stepped = try await redis.xautoclaim(
                key, "workers", "carol", minIdleTime: .zero, start: "0-0", count: 1)
            #expect(stepped.entries.map(\.id) == ["1-0"])
            #expect(stepped.nextStart == (redis7 ? "3-0" : "2-0"))
            let carolPending = redis7 ? 2 : 3
            #expect(try await redis.xpending(key, "workers").consumers
                == [StreamConsumerPendingCount(name: "carol", count: carolPending)])

            // A consumer's history (any ID but `>`) shows a pending entry deleted since as `isDeleted`.
            try await redis.xdel(key, "3-0")
            let history = try await redis.xreadgroup(group: "workers", consumer: "carol", streams: [key: "0"])
            let deletedSince = (redis7 ? ["3-0"] : ["2-0", "3-0"])
                .map { StreamEntry(id: $0, fields: [], isDeleted: true) }
            #expect(history.first?.entries == [entry("1-0", ["job": "j1"])] + deletedSince)

            // Introspection while two entries are pending for carol.
            let info = try await redis.xinfoStream(key)
            #expect(info.length == 1)
            #expect(info.groups == 1)
            #expect(info.lastGeneratedID == "3-0")
            #expect(info.firstEntry == entry("1-0", ["job": "j1"]))
            #expect(info.lastEntry == entry("1-0", ["job": "j1"]))
            // Redis 7.0 added these counters; 6.2 does not report them.
            #expect(info.entriesAdded == (redis7 ? 3 : nil))
            #expect(info.maxDeletedEntryID == (redis7 ? "3-0" : nil))
            #expect(info.radixTreeKeys >= 1 && info.radixTreeNodes >= 1)
            #expect(info.raw["length"] == .integer(1))
            let groups = try await redis.xinfoGroups(key)
            #expect(groups.count == 1)
            #expect(groups.first?.name == "workers")
            #expect(groups.first?.consumers == 3)
            #expect(groups.first?.pending == carolPending)
            #expect(groups.first?.lastDeliveredID == "3-0")
            #expect(groups.first?.entriesRead == (redis7 ? 3 : nil))
            let consumers = try await redis.xinfoConsumers(key, "workers")
            #expect(consumers.map(\.name) == ["alice", "bob", "carol"])
            #expect(consumers.map(\.pending) == [0, 0, carolPending])
            #expect(consumers.allSatisfy { $0.idleMilliseconds >= 0 })

            // XACK clears the pending list.
            #expect(try await redis.xack(key, "workers", "1-0", "2-0", "3-0", "9-0") == carolPending)
            #expect(try await redis.xack(key, "workers", ids: ["1-0"]) == 0)
            #expect(try await redis.xpending(key, "workers") == StreamPendingSummary(
                count: 0, smallestID: nil, greatestID: nil, consumers: []))
            #expect(try await redis.xinfoGroups(key).first?.pending == 0)
            #expect(try await redis.xinfoConsumers(key, "workers").map(\.pending) == [0, 0, 0])
            try await redis.del(key)
        }
    }

    @Test("xgroup: setid, createconsumer, delconsumer, destroy", arguments: [2, 3])
    func groupAdministration(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            for i in 1...4 { try await redis.xadd(key, id: "\(i)-0", fields: ["i": i]) }
            // `$`: only entries added from now on.
            #expect(try await redis.xgroupCreate(key, "g"))
            #expect(try await redis.xreadgroup(group: "g", consumer: "c", streams: [key: ">"]) == [])
            if TestServerFlavour.isAtLeast(7) {
                #expect(try await redis.xgroupSetID(key, "g", id: "2-0", entriesRead: 2))
                #expect(try await redis.xinfoGroups(key).first?.lag == 2)
            } else {
                // ENTRIESREAD and a group's lag are new in Redis 7.0: 6.2 refuses the option and changes nothing.
                await expectReplyError(code: "ERR") {
                    try await redis.xgroupSetID(key, "g", id: "2-0", entriesRead: 2)
                }
                #expect(try await redis.xgroupSetID(key, "g", id: "2-0"))
                #expect(try await redis.xinfoGroups(key).first?.lag == nil)
            }
            let read = try await redis.xreadgroup(group: "g", consumer: "c", streams: [key: ">"])
            #expect(read.first?.entries.map(\.id) == ["3-0", "4-0"])
            #expect(try await redis.xgroupCreateConsumer(key, "g", "d"))
            #expect(try await redis.xgroupCreateConsumer(key, "g", "d") == false)
            #expect(try await redis.xinfoConsumers(key, "g").map(\.name) == ["c", "d"])
            #expect(try await redis.xgroupDelConsumer(key, "g", "c") == 2)
            #expect(try await redis.xpending(key, "g").count == 0)
            #expect(try await redis.xgroupDelConsumer(key, "g", "nobody") == 0)
            #expect(try await redis.xgroupDestroy(key, "g"))
            #expect(try await redis.xgroupDestroy(key, "g") == false)
            #expect(try await redis.xinfoGroups(key) == [])
            await expectInvalidArgument { try await redis.xgroupCreate(key, "g", entriesRead: -1) }
            #expect(try await redis.xinfoGroups(key) == [])
            try await redis.del(key)
        }
    }

    @Test("xreadgroup NOACK delivers without leaving anything pending", arguments: [2, 3])
    func noAck(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            try await redis.xgroupCreate(key, "g", id: "0", mkStream: true)
            try await redis.xadd(key, id: "1-0", fields: ["a": "1"])
            try await redis.xadd(key, id: "2-0", fields: ["a": "2"])
            let read = try await redis.xreadgroup(group: "g", consumer: "c", streams: [key: ">"], noAck: true)
            #expect(read.first?.entries.map(\.id) == ["1-0", "2-0"])
            #expect(try await redis.xpending(key, "g").count == 0)
            #expect(try await redis.xinfoGroups(key).first?.lastDeliveredID == "2-0")
            // Without NOACK the next entry is pending.
            try await redis.xadd(key, id: "3-0", fields: ["a": "3"])
            _ = try await redis.xreadgroup(group: "g", consumer: "c", streams: [key: ">"])
            #expect(try await redis.xpending(key, "g").count == 1)
            try await redis.del(key)
        }
    }

    @Test("xreadgroup BLOCK waits for a new entry and times out empty")
    func xreadgroupBlock() async throws {
        let key = uniqueKey()
        try await withTimeLimit(.seconds(10)) {
            try await withRedis { reader in
                try await withRedis { writer in
                    try await writer.xgroupCreate(key, "g", mkStream: true)
                    #expect(try await reader.xreadgroup(group: "g", consumer: "c", streams: [key: ">"],
                                                        block: .milliseconds(50)) == [])
                    async let read = reader.xreadgroup(group: "g", consumer: "c", streams: [key: ">"],
                                                       block: .seconds(5))
                    try await waitUntilBlocked(writer, in: "xreadgroup")
                    try await writer.xadd(key, id: "5-0", fields: ["w": "1"])
                    #expect(try await read == [StreamReadResult(key: key, entries: [entry("5-0", ["w": "1"])])])
                    #expect(try await writer.xpending(key, "g").consumers
                        == [StreamConsumerPendingCount(name: "c", count: 1)])
                    try await writer.del(key)
                }
            }
        }
    }

    @Test("xdel, xlen, and the server's errors for missing streams and groups", arguments: [2, 3])
    func deleteAndErrors(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            #expect(try await redis.xlen(key) == 0)
            for i in 1...4 { try await redis.xadd(key, id: "\(i)-0", fields: ["i": i]) }
            #expect(try await redis.xdel(key, "1-0", "3-0", "9-0") == 2)
            #expect(try await redis.xdel(key, ids: ["1-0"]) == 0)
            #expect(try await redis.xlen(key) == 2)
            #expect(try await redis.xrange(key).map(\.id) == ["2-0", "4-0"])
            await expectInvalidArgument { try await redis.xdel(key, ids: []) }
            await expectInvalidArgument { try await redis.xack(key, "g", ids: []) }
            await expectInvalidArgument { try await redis.xclaim(key, "g", "c", minIdleTime: .zero, ids: []) }
            await expectInvalidArgument {
                try await redis.xclaim(key, "g", "c", minIdleTime: .zero, ids: ["1-0"], idle: .zero, time: 1)
            }
            await expectInvalidArgument {
                try await redis.xclaimJustID(key, "g", "c", minIdleTime: .seconds(-1), ids: ["1-0"])
            }
            await expectInvalidArgument { try await redis.xautoclaim(key, "g", "c", minIdleTime: .zero, count: 0) }
            await expectInvalidArgument { try await redis.xpending(key, "g", count: -1) }
            await expectInvalidArgument {
                try await redis.xreadgroup(group: "g", consumer: "c", streams: [(key: String, id: String)]())
            }

            let missing = uniqueKey()
            await expectReplyError(code: "ERR") { try await redis.xgroupCreate(missing, "g") }  // no MKSTREAM
            await expectReplyError(code: "ERR") { try await redis.xinfoStream(missing) }
            await expectReplyError(code: "NOGROUP") {
                try await redis.xreadgroup(group: "nope", consumer: "c", streams: [key: ">"])
            }
            await expectReplyError(code: "NOGROUP") { try await redis.xinfoConsumers(key, "nope") }
            await expectReplyError(code: "NOGROUP") { try await redis.xpending(key, "nope") }
            try await redis.set(missing, "a string")
            await expectReplyError(code: "WRONGTYPE") { try await redis.xadd(missing, fields: ["a": 1]) }
            try await redis.del(key, missing)
        }
    }

    @Test("xinfo stream of an empty stream has no first or last entry", arguments: [2, 3])
    func xinfoEmpty(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let key = uniqueKey()
            try await redis.xadd(key, id: "5-5", fields: ["a": "1"])
            try await redis.xdel(key, "5-5")
            let info = try await redis.xinfoStream(key)
            #expect(info.length == 0)
            #expect(info.firstEntry == nil && info.lastEntry == nil)
            #expect(info.lastGeneratedID == "5-5")
            #expect(info.groups == 0)
            try await redis.del(key)
        }
    }
}
