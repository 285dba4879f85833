import AsyncRedisTestSupport
import NIOCore
import Testing

@testable import AsyncRedis

/// Routing on the shared cluster: nothing here changes its layout.
@Suite("Cluster routing")
struct ClusterRoutingTests {
    @Test("the slot of 10 000 keys agrees with CLUSTER KEYSLOT, hash tags included")
    func slotsAgreeWithServer() async throws {
        let node = try await createConnection(try ClusterTestServers.seeds()[0])
        defer { node.close() }
        var keys = (0..<10_000).map { "key:\($0):\(UInt64.random(in: 0...UInt64.max))" }
        keys += ["{user1000}.following", "{user1000}.followers", "foo{}{bar}", "foo{{bar}}zap", "foo{bar}{zap}", "{}",
                 "", "{", "}", "a{b", "é{ü}", "{ü}x"]
        let replies = try await node.executeBatch(keys.map { (command: "CLUSTER", arguments: ["KEYSLOT", $0]) })
        for (key, reply) in zip(keys, replies) {
            #expect(ClusterKeySlot.slot(ofBytes: Array(key.utf8)) == (try reply.get().clusterInteger), "\(key)")
        }
        #expect(ClusterKeySlot.slot(ofBytes: Array("{user1000}.following".utf8)) == ClusterKeySlot.slot(ofBytes: Array("user1000".utf8)))
        // Bytes that are not UTF-8 hash as bytes.
        let raw: [UInt8] = [0xff, 0x00, 0x7b, 0x41, 0x7d]
        let rawReply = try await node.execute("CLUSTER", "KEYSLOT", ByteBuffer(bytes: raw), as: Int.self)
        #expect(ClusterKeySlot.slot(ofBytes: raw) == rawReply)
    }

    @Test("keys land on the master the layout names; the cluster reads and writes them from any seed")
    func keysLandOnTheirMaster() async throws {
        let cluster = try await ClusterTestServers.connect()
        try await withCluster(cluster) { (redis: Redis) async throws -> Void in
            let masters = cluster.nodes.filter(\.isPrimary)
            #expect(masters.count == 3)
            #expect(cluster.nodes.count == 6)
            #expect(masters.flatMap(\.slots).reduce(0) { $0 + $1.count } == 16384)
            let prefix = uniqueKey()
            let keys = (0..<300).map { "\(prefix):\($0)" }
            for key in keys { try await redis.set(key, key) }
            var perMaster: [String: Int] = [:]
            for master in masters {
                let direct = try await ClusterTestServers.node(master)
                defer { direct.close() }
                for key in keys where master.slots.contains(where: { $0.contains(cluster.keySlot(key)) }) {
                    // A plain connection answers MOVED for a key it does not serve: this GET proves the key is here.
                    #expect(try await direct.execute("GET", key, as: String?.self) == key)
                    perMaster[master.description, default: 0] += 1
                }
            }
            #expect(perMaster.values.reduce(0, +) == keys.count)
            #expect(perMaster.count == 3)  // 300 random keys reach every master
            for key in keys { #expect(try await redis.get(key) == key) }
            #expect(try await redis.delete(keys[0]) == 1)
        }
    }

    @Test("hash tags keep multi-key commands on one slot: MSET, MGET, RENAME, SUNIONSTORE")
    func hashTags() async throws {
        try await withCluster(try await ClusterTestServers.connect()) { (redis: Redis) async throws -> Void in
            let tag = "{\(uniqueKey())}"
            try await redis.mset(("\(tag):a", "1"), ("\(tag):b", "2"))
            #expect(try await redis.mget("\(tag):a", "\(tag):b") == ["1", "2"])
            try await redis.rename("\(tag):a", "\(tag):c")
            #expect(try await redis.get("\(tag):c") == "1")
            _ = try await redis.sadd("\(tag):s1", "x")
            _ = try await redis.sadd("\(tag):s2", "y")
            #expect(try await redis.execute("SUNIONSTORE", "\(tag):s3", "\(tag):s1", "\(tag):s2", as: Int.self) == 2)
            #expect(try await redis.delete("\(tag):b", "\(tag):c", "\(tag):s1", "\(tag):s2", "\(tag):s3") == 5)
        }
    }

    @Test("keys in different slots fail before sending with CrossSlotError naming them")
    func crossSlot() async throws {
        try await withCluster(try await ClusterTestServers.connect()) { (redis: Redis) async throws -> Void in
            let (a, b) = Self.keysInDifferentSlots()
            let error = await #expect(throws: CrossSlotError.self) { try await redis.mset((a, "1"), (b, "2")) }
            #expect(error?.keys == [a, b])
            #expect(error?.message.contains(a) == true && error?.message.contains(b) == true)
            // Nothing was sent: neither key exists.
            #expect(try await redis.get(a) == nil)
            #expect(try await redis.get(b) == nil)
            await #expect(throws: CrossSlotError.self) { _ = try await redis.mget(a, b) }
            await #expect(throws: CrossSlotError.self) { _ = try await redis.execute("DEL", a, b) }
            // Pipelines, transactions and scripts: the whole batch is refused before anything is sent.
            await #expect(throws: CrossSlotError.self) {
                try await redis.pipeline { pipe in
                    pipe.add("SET", a, "1")
                    pipe.add("MGET", a, b)
                }
            }
            #expect(try await redis.get(a) == nil)
            await #expect(throws: CrossSlotError.self) {
                try await redis.multiExec { block in
                    block.add("SET", a, "1")
                    block.add("SET", b, "2")
                }
            }
            await #expect(throws: CrossSlotError.self) {
                _ = try await redis.eval("return 1", keys: [a, b])
            }
            await #expect(throws: CrossSlotError.self) {
                _ = try await redis.transaction(watching: [a, b]) { _ in [("SET", [a, "1"])] }
            }
            #expect(try await redis.get(a) == nil)
        }
    }

    /// Two fresh keys whose slots differ.
    static func keysInDifferentSlots() -> (String, String) {
        let a = uniqueKey("cross-a")
        var index = 0
        while true {
            let b = "\(a):other:\(index)"
            if ClusterKeySlot.slot(ofBytes: Array(b.utf8)) != ClusterKeySlot.slot(ofBytes: Array(a.utf8)) { return (a, b) }
            index += 1
        }
    }

    @Test("DBSIZE, KEYS, SCAN and SCRIPT LOAD cover every master")
    func fanOut() async throws {
        let cluster = try await ClusterTestServers.connect()
        try await withCluster(cluster) { (redis: Redis) async throws -> Void in
            let prefix = uniqueKey()
            let keys = (0..<60).map { "\(prefix):\($0)" }
            for key in keys { try await redis.set(key, "v") }
            var sum = 0
            for master in cluster.nodes.filter(\.isPrimary) {
                let direct = try await ClusterTestServers.node(master)
                sum += try await direct.execute("DBSIZE", as: Int.self)
                direct.close()
            }
            // Other tests write meanwhile: DBSIZE is the sum over masters at about the same time.
            let dbsize = try await redis.dbsize()
            #expect(dbsize >= keys.count)
            #expect(abs(dbsize - sum) < 10_000)
            #expect(Set(try await redis.keys("\(prefix):*")) == Set(keys))
            var scanned: Set<String> = []
            for try await key in redis.iscan(match: "\(prefix):*", count: 50) { scanned.insert(key) }
            #expect(scanned == Set(keys))
            let sha = try await redis.scriptLoad("return redis.call('GET', KEYS[1])")
            for key in keys.prefix(20) {
                // EVALSHA on every master: the script was loaded on each.
                #expect(try await redis.evalsha(sha, keys: [key], as: String?.self) == "v")
            }
            #expect(try await redis.ping() == "PONG")
            #expect(try await redis.delete(keys[0]) == 1)
        }
    }

    @Test("a pipeline of 1 000 commands over every master returns its replies in order")
    func pipelineInOrder() async throws {
        try await withCluster(try await ClusterTestServers.connect()) { (redis: Redis) async throws -> Void in
            let prefix = uniqueKey()
            let pipe = redis.pipeline()
            var gets: [RedisPendingReply<String?>] = []
            for index in 0..<500 {
                pipe.add("SET", "\(prefix):\(index)", String(index))
                gets.append(pipe.queue { try $0.get("\(prefix):\(index)") })
            }
            let replies = try await pipe.execute()
            #expect(replies.count == 1000)
            for index in 0..<500 {
                #expect(replies[2 * index + 1].string() == String(index))
                #expect(try await gets[index].value == String(index))
            }
            let results = try await redis.pipelineResults((0..<500).map { ("GET", ["\(prefix):\($0)"]) })
            #expect(try results.map { try $0.get().string() } == (0..<500).map { String($0) })
        }
    }

    @Test("MULTI/EXEC and WATCH transactions run on the node of their one slot")
    func transactions() async throws {
        try await withCluster(try await ClusterTestServers.connect()) { (redis: Redis) async throws -> Void in
            let tag = "{\(uniqueKey())}"
            let replies = try await redis.multiExec { block in
                block.add("SET", "\(tag):a", "1")
                block.add("INCR", "\(tag):a")
                block.add("GET", "\(tag):a")
            }
            #expect(replies.last?.string() == "2")
            let result = try await redis.transaction(watching: ["\(tag):a"]) { context in
                let current = try await context.execute("GET", "\(tag):a", as: Int.self)
                return [("SET", ["\(tag):a", current * 10])]
            }
            #expect(result.count == 1)
            #expect(try await redis.get("\(tag):a") == "20")
        }
    }

    @Test("a stale slot is corrected by MOVED; past maxRedirections the error says so")
    func movedAndRedirectionBound() async throws {
        let cluster = try await ClusterTestServers.connect()
        try await withCluster(cluster) { (redis: Redis) async throws -> Void in
            let key = uniqueKey()
            try await redis.set(key, "here")
            let slot = cluster.keySlot(key)
            let owner = try #require(cluster.node(for: slot))
            let wrong = try #require(cluster.nodes.first { $0.isPrimary && $0.endpoint != owner })
            cluster.state.withLockedValue { $0.topology.move(slot: slot, to: wrong.endpoint) }
            #expect(try await redis.get(key) == "here")
            #expect(cluster.node(for: slot) == owner)  // MOVED put the slot back

            let strict = try await ClusterTestServers.connect(maxRedirections: 0)
            try await withCluster(strict) { (strictRedis: Redis) async throws -> Void in
                strict.state.withLockedValue { $0.topology.move(slot: slot, to: wrong.endpoint) }
                let error = await #expect(throws: ClusterRedirectionError.self) { _ = try await strictRedis.get(key) }
                #expect(error?.lastRedirection.code == "MOVED")
            }
        }
    }

    @Test("the README's Cluster example")
    func readmeExample() async throws {
        let redis = try await createRedisCluster(Array(try ClusterTestServers.seeds().prefix(2)))
        defer { redis.close() }
        let user = "{\(uniqueKey("user"))}"
        try await redis.set("\(user):name", "Ada")
        try await redis.mset(("\(user):a", "1"), ("\(user):b", "2"))
        let total = try await redis.dbsize()
        #expect(total >= 3)
        var found: [String] = []
        for try await key in redis.iscan(match: "\(user):*") { found.append(key) }
        #expect(Set(found) == ["\(user):name", "\(user):a", "\(user):b"])
    }

    @Test("CLUSTER SLOTS and CLUSTER SHARDS describe the same layout", .needsRedis7("CLUSTER SHARDS"))
    func slotsFallbackAgrees() async throws {
        let node = try await createConnection(try ClusterTestServers.seeds()[0])
        defer { node.close() }
        let fromShards = try ClusterTopologyReplies.shards(
            try await node.execute("CLUSTER", "SHARDS"), askedHost: "127.0.0.1", useTLS: false)
        let fromSlots = try ClusterTopologyReplies.slots(try await node.execute("CLUSTER", "SLOTS"), askedHost: "127.0.0.1")
        let shards = ClusterTopology(shards: fromShards).shards
        let slots = ClusterTopology(shards: fromSlots).shards
        #expect(shards.map(\.master) == slots.map(\.master))
        #expect(shards.map(\.slots) == slots.map(\.slots))
        #expect(shards.map { Set($0.replicas) } == slots.map { Set($0.replicas) })
    }

    @Test("a cluster needs db 0 and TCP seeds; unreachable seeds are named in the error")
    func badOptions() async throws {
        await #expect(throws: InvalidArgumentError.self) {
            _ = try await createCluster(["redis://127.0.0.1:1/2"])
        }
        await #expect(throws: InvalidArgumentError.self) { _ = try await createCluster([]) }
        let error = await #expect(throws: ClusterNodeUnavailableError.self) {
            _ = try await createCluster([.tcp(host: "127.0.0.1", port: 1)], timeout: .seconds(1))
        }
        #expect(error?.message.contains("127.0.0.1:1") == true)
        // A plain server is not a cluster.
        await #expect(throws: ClusterNodeUnavailableError.self) {
            _ = try await createCluster([try TestServers.plain()])
        }
    }
}

extension RedisCluster {
    /// The master serving `slot` in the client's layout.
    func node(for slot: Int) -> ClusterEndpoint? {
        state.withLockedValue { $0.topology.master(for: slot) }
    }
}

@Suite("Cluster client secrets")
struct ClusterSecretTests {
    @Test("no password in the cluster client's descriptions, reflection or seed errors")
    func noPasswordShown() async throws {
        let secret = "Clu5terSecret"
        let configuration = ClusterConfiguration(
            seeds: [try RedisAddress("redis://user:\(secret)@127.0.0.1:1")],
            node: RedisConnectionConfiguration(address: .tcp(host: "", port: 0), password: secret), minSize: 0,
            maxSize: 2, readFrom: .primary, maxRedirections: 5, retryTimeout: .seconds(1),
            refreshInterval: .milliseconds(100))
        let cluster = try RedisCluster(configuration: configuration)
        defer { cluster.close() }
        let objects: [Any] = [cluster, Redis(cluster), configuration]
        for object in objects {
            var dumped = ""
            dump(object, to: &dumped)
            for text in [String(describing: object), String(reflecting: object), dumped] {
                #expect(!text.contains(secret), "\(type(of: object)) shows the password")
            }
        }
        let error = await #expect(throws: ClusterNodeUnavailableError.self) { try await cluster.refreshTopology() }
        #expect(error.map { !"\($0)".contains(secret) } == true)
    }
}
