import Testing

@testable import AsyncRedis

@Suite("Commands: Redis object and connection commands")
struct CommandsRedisTests {
    @Test("createRedis wraps a connection; properties pass through")
    func createAndProperties() async throws {
        let redis = try await createRedis(try TestServers.plain(), db: 5, encoding: .utf8)
        #expect(redis.connection is RedisConnection)
        #expect(redis.db == 5)
        #expect(redis.encoding == .utf8)
        #expect(redis.address.port == (try TestServers.port()))
        #expect(!redis.isClosed)
        #expect(!redis.inTransaction)
        #expect(try await redis.select(6))
        #expect(redis.db == 6)
        redis.close()
        await redis.waitClosed()
        #expect(redis.isClosed)
    }

    @Test("commandsFactory builds the interface object")
    func commandsFactory() async throws {
        let redis = try await createRedis(try TestServers.plain(), commandsFactory: { connection in
            Redis(connection)
        })
        defer { redis.close() }
        #expect(try await redis.ping() == "PONG")
    }

    @Test("inTransaction follows MULTI/EXEC on the connection")
    func inTransaction() async throws {
        try await withRedis { redis in
            _ = try await redis.execute("MULTI")
            #expect(redis.inTransaction)
            _ = try await redis.execute("DISCARD")
            #expect(!redis.inTransaction)
        }
    }

    @Test("ping, echo, execute passthroughs, encodings")
    func pingEcho() async throws {
        try await withRedis { redis throws in
            #expect(try await redis.ping() == "PONG")
            #expect(try await redis.ping(message: "hi") == "hi")
            #expect(try await redis.echo("héllo") == "héllo")
            #expect(try await redis.echo([UInt8]([0xE9]), encoding: .latin1) == "é")
            #expect(try await redis.execute("ECHO", "x") == .bulkString(.init(string: "x")))
            #expect(try await redis.execute("ECHO", arguments: ["y"], as: String.self) == "y")
            #expect(try await redis.execute("INCRBY", uniqueKey(), 5, as: Int.self) == 5)
        }
    }

    @Test("connection encoding decodes text; per-call encoding overrides it")
    func connectionEncoding() async throws {
        try await withRedis(encoding: .latin1) { redis in
            let key = uniqueKey()
            try await redis.set(key, [UInt8]([0x63, 0x61, 0x66, 0xE9]))
            #expect(try await redis.get(key) == "café")
            await #expect(throws: UnexpectedReplyError.self) { try await redis.get(key, encoding: .utf8) }
            #expect(try await redis.get(key, as: [UInt8].self) == [0x63, 0x61, 0x66, 0xE9])
            try await redis.del(key)
        }
    }

    @Test("auth without a password configured is an error; select rejects negatives")
    func authAndSelect() async throws {
        try await withRedis { redis in
            await #expect(throws: ReplyError.self) { try await redis.auth("nope") }
            await expectInvalidArgument { try await redis.select(-1) }
        }
    }

    @Test("auth on the password-protected server")
    func authWorks() async throws {
        let address = RedisAddress.tcp(host: TestServers.host, port: try TestServers.authPort())
        let redis = try await createRedis(address, password: try TestServers.authPassword())
        defer { redis.close() }
        #expect(try await redis.auth(try TestServers.authPassword()))
        await #expect(throws: AuthError.self) { try await redis.auth("wrong-password") }
    }

    @Test("quit: OK, then the server closes the connection")
    func quit() async throws {
        let redis = try await createRedis(try TestServers.plain())
        #expect(try await redis.quit())
        await redis.waitClosed()
        #expect(redis.isClosed)
    }

    @Test("RESP3: replies of the other protocol convert the same way")
    func resp3() async throws {
        try await withRedis(protocolVersion: 3) { redis in
            let hash = uniqueKey(), zset = uniqueKey()
            try await redis.hset(hash, ["a": "1", "b": "2"])
            #expect(try await redis.hgetall(hash) == ["a": "1", "b": "2"])
            try await redis.zadd(zset, [(1.5, "x"), (2, "y")])
            let pairs = try await redis.zrangeWithScores(zset)
            #expect(pairs.map(\.member) == ["x", "y"])
            #expect(pairs.map(\.score) == [1.5, 2])
            #expect(try await redis.zscore(zset, "x") == 1.5)
            let popped = try await redis.zpopmin(zset)
            #expect(popped.count == 1 && popped[0].member == "x" && popped[0].score == 1.5)
            #expect(try await redis.smembers(uniqueKey()) == [])
            let random = try await redis.hrandfieldWithValues(hash, count: 2)
            #expect(Dictionary(uniqueKeysWithValues: random.map { ($0.field, $0.value) }) == ["a": "1", "b": "2"])
            try await redis.del(hash, zset)
        }
    }

    @Test("RESP3: maps, doubles, verbatim strings and nested pairs convert like RESP2")
    func resp3More() async throws {
        try await withRedis(protocolVersion: 3) { redis in
            let geo = uniqueKey(), hash = uniqueKey(), zset = uniqueKey(), set = uniqueKey(), list = uniqueKey()
            try await redis.geoadd(geo, longitude: 13.361389, latitude: 38.115556, member: "Palermo")
            let position = try await redis.geopos(geo, "Palermo")
            #expect(abs((position.first??.latitude ?? 0) - 38.115556) < 0.0001)
            let near = try await redis.georadius(geo, longitude: 13.36, latitude: 38.11, radius: 10, unit: .kilometers,
                                                 withDist: true, withCoord: true)
            #expect(near.first?.name == "Palermo" && (near.first?.distance ?? 99) < 1)
            try await redis.hset(hash, ["a": "1", "b": "2"])
            var fields: [String: String] = [:]
            for try await (field, value) in redis.ihscan(hash) { fields[field] = value }
            #expect(fields == ["a": "1", "b": "2"])
            try await redis.zadd(zset, [(1, "x"), (2.5, "y")])
            #expect(try await redis.zmscore(zset, "y", "nope") == [2.5, nil])
            #expect(try await redis.zaddIncr(zset, increment: 1, member: "x") == 2)
            var scores: [String: Double] = [:]
            for try await (member, score) in redis.izscan(zset) { scores[member] = score }
            #expect(scores == ["x": 2, "y": 2.5])
            let popped = try await redis.bzpopmin(zset, timeout: .milliseconds(100))
            #expect(popped?.member == "x" && popped?.score == 2)
            try await redis.sadd(set, "m")
            #expect(try await redis.smismember(set, "m", "n") == [true, false])
            #expect(try await redis.smembers(set) == ["m"])
            try await redis.rpush(list, "v")
            let pair = try await redis.blpop(list, timeout: .milliseconds(100))
            #expect(pair?.key == list && pair?.value == "v")
            #expect(try await redis.incrbyfloat(uniqueKey(), 1.5) == 1.5)
            #expect(try await redis.configGet("port") == ["port": String(try TestServers.port())])
            #expect(try await redis.info("server")["server"]?["redis_version"] != nil)
            #expect(try await redis.clientList().isEmpty == false)
            #expect(try await redis.lolwut().isEmpty == false)
            try await redis.del(geo, hash, zset, set)
        }
    }

    @Test("per-call encoding overrides the connection's for every text reply")
    func perCallEncoding() async throws {
        try await withRedis { redis in
            let list = uniqueKey(), hash = uniqueKey()
            let latin1: [UInt8] = [0x6E, 0xE4, 0x72]  // "när" in latin-1, not valid UTF-8
            try await redis.rpush(list, latin1)
            try await redis.hset(hash, "f", latin1)
            #expect(try await redis.lrange(list, encoding: .latin1) == ["när"])
            #expect(try await redis.hgetall(hash, encoding: .latin1) == ["f": "när"])
            #expect(try await redis.lpop(list, encoding: .latin1) == "när")
            await #expect(throws: UnexpectedReplyError.self) { try await redis.hget(hash, "f") }
            try await redis.del(hash)
        }
    }

    @Test("over a connection type that is not RedisConnection, select and auth are sent as commands")
    func customConnection() async throws {
        let inner = try await createConnection(try TestServers.plain())
        let redis = Redis(LoggingConnection(inner: inner))
        defer { redis.close() }
        #expect(!redis.inTransaction)
        #expect(try await redis.select(7))
        #expect(try await redis.execute("CLIENT", "INFO", as: String.self).contains(" db=7 "))
        await #expect(throws: ReplyError.self) { try await redis.auth("nope") }
        await expectInvalidArgument { try await redis.select(-1) }
        let key = uniqueKey()
        #expect(try await redis.set(key, "v"))
        #expect(try await redis.get(key) == "v")
        try await redis.del(key)
    }
}
