import NIOCore
import Testing

@testable import AsyncRedis

@Suite("Commands: strings")
struct CommandsStringTests {
    @Test("set/get round-trip text, bytes and numbers; missing key is nil")
    func setGet() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.get(key) == nil)
            #expect(try await redis.set(key, "värde"))
            #expect(try await redis.get(key) == "värde")
            #expect(try await redis.get(key, as: [UInt8].self) == Array("värde".utf8))
            #expect(try await redis.get(key, as: ByteBuffer.self) == ByteBuffer(string: "värde"))
            try await redis.set(key, 42)
            #expect(try await redis.get(key, as: Int.self) == 42)
            try await redis.set(key, 1.25)
            #expect(try await redis.get(key, as: Double.self) == 1.25)
            try await redis.del(key)
        }
    }

    @Test("set options: NX, XX, EX, PX, KEEPTTL, GET")
    func setOptions() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.set(key, "a", exist: .ifExists) == false)
            #expect(try await redis.get(key) == nil)
            #expect(try await redis.set(key, "a", exist: .ifNotExists))
            #expect(try await redis.set(key, "b", exist: .ifNotExists) == false)
            #expect(try await redis.get(key) == "a")
            // Ranges allow for a loaded machine: what matters is that the TTL was set, then kept.
            #expect(try await redis.set(key, "c", expire: .seconds(100), exist: .ifExists))
            #expect((90...100).contains(try await redis.ttl(key)))
            #expect(try await redis.set(key, "d", keepTTL: true))
            #expect((90...100).contains(try await redis.ttl(key)))
            try await redis.set(key, "e", pexpire: .milliseconds(50_000))
            #expect((49_000...50_000).contains(try await redis.pttl(key)))
            #expect(try await redis.setGet(key, "f") == "e")
            if TestServerFlavour.isAtLeast(7) {
                #expect(try await redis.setGet(key, "g", exist: .ifNotExists) == "f")
            } else {
                // SET with both NX and GET is new in Redis 7.0: 6.2 refuses it and changes nothing.
                await expectReplyError(code: "ERR") { try await redis.setGet(key, "g", exist: .ifNotExists) }
            }
            #expect(try await redis.get(key) == "f")
            #expect(try await redis.setGet(uniqueKey(), "x") == nil)
            await expectInvalidArgument {
                try await redis.set(key, "x", expire: .seconds(1), pexpire: .milliseconds(1))
            }
            await expectInvalidArgument { try await redis.set(key, "x", expire: .seconds(0)) }
            await expectInvalidArgument { try await redis.set(key, "x", pexpire: .milliseconds(5), keepTTL: true) }
            try await redis.del(key)
        }
    }

    @Test("incr, decr, incrby, decrby, incrbyfloat; non-integer value is a ReplyError")
    func counters() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.incr(key) == 1)
            #expect(try await redis.incrby(key, 10) == 11)
            #expect(try await redis.decr(key) == 10)
            #expect(try await redis.decrby(key, 4) == 6)
            #expect(try await redis.incrbyfloat(key, 0.5) == 6.5)
            #expect(try await redis.incrbyfloat(key, -1.25) == 5.25)
            await expectReplyError(code: "ERR") { try await redis.incr(key) }
            try await redis.del(key)
        }
    }

    @Test("append, strlen, getrange, setrange, getset, getdel, getex")
    func editing() async throws {
        try await withRedis { redis throws in
            let key = uniqueKey()
            #expect(try await redis.append(key, "Hello") == 5)
            #expect(try await redis.append(key, " World") == 11)
            #expect(try await redis.strlen(key) == 11)
            #expect(try await redis.getrange(key, start: 0, end: 4) == "Hello")
            #expect(try await redis.getrange(key, start: -5, end: -1) == "World")
            #expect(try await redis.setrange(key, 6, "Redis") == 11)
            #expect(try await redis.get(key) == "Hello Redis")
            #expect(try await redis.getset(key, "new") == "Hello Redis")
            #expect(try await redis.getex(key, expire: .seconds(100)) == "new")
            #expect((99...100).contains(try await redis.ttl(key)))
            #expect(try await redis.getex(key, persist: true) == "new")
            #expect(try await redis.ttl(key) == -1)
            await expectInvalidArgument { try await redis.getex(key, expire: .seconds(1), persist: true) }
            #expect(try await redis.getdel(key) == "new")
            #expect(try await redis.exists(key) == 0)
            #expect(try await redis.getdel(key) == nil)
        }
    }

    @Test("mset from pairs and dictionary, mget with a missing key, msetnx")
    func multi() async throws {
        try await withRedis { redis in
            let a = uniqueKey(), b = uniqueKey(), c = uniqueKey(), missing = uniqueKey()
            #expect(try await redis.mset((a, "1"), (b, 2)))
            #expect(try await redis.mget(a, b, missing) == ["1", "2", nil])
            #expect(try await redis.mset([a: "x", c: "z"]))
            #expect(try await redis.mget([a, c, missing], as: [UInt8].self) == [Array("x".utf8), Array("z".utf8), nil])
            #expect(try await redis.msetnx((c, "no"), (missing, "no")) == false)
            #expect(try await redis.exists(missing) == 0)
            let d = uniqueKey(), e = uniqueKey()
            #expect(try await redis.msetnx([d: "4", e: "5"]))
            #expect(try await redis.mget(d, e) == ["4", "5"])
            try await redis.del([a, b, c, d, e])
        }
    }

    @Test("setex, psetex, setnx")
    func setVariants() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.setnx(key, "one"))
            #expect(try await redis.setnx(key, "two") == false)
            #expect(try await redis.setex(key, seconds: .seconds(30), "three"))
            #expect((29...30).contains(try await redis.ttl(key)))
            #expect(try await redis.psetex(key, milliseconds: .milliseconds(20_000), "four"))
            #expect((19_000...20_000).contains(try await redis.pttl(key)))
            #expect(try await redis.get(key) == "four")
            await expectInvalidArgument { try await redis.setex(key, seconds: .zero, "x") }
            try await redis.del(key)
        }
    }

    @Test("bits: setbit, getbit, bitcount, bitpos, bitop, bitfield")
    func bits() async throws {
        try await withRedis { redis in
            let a = uniqueKey(), b = uniqueKey(), dest = uniqueKey()
            #expect(try await redis.setbit(a, 7, 1) == 0)
            #expect(try await redis.setbit(a, 7, 1) == 1)
            #expect(try await redis.getbit(a, 7) == 1)
            #expect(try await redis.getbit(a, 6) == 0)
            await expectInvalidArgument { try await redis.setbit(a, 1, 2) }
            try await redis.set(b, "foobar")
            #expect(try await redis.bitcount(b) == 26)
            #expect(try await redis.bitcount(b, start: 1, end: 1) == 6)
            await expectInvalidArgument { try await redis.bitcount(b, start: 1) }
            #expect(try await redis.bitpos(a, bit: 1) == 7)
            #expect(try await redis.bitpos(a, bit: 0) == 0)
            #expect(try await redis.bitpos(b, bit: 1, start: 2) == 17)
            try await redis.set(a, [UInt8]([0b1100_0000]))
            try await redis.set(b, [UInt8]([0b1010_0000]))
            #expect(try await redis.bitopAnd(dest, a, b) == 1)
            #expect(try await redis.get(dest, as: [UInt8].self) == [0b1000_0000])
            #expect(try await redis.bitopOr(dest, a, b) == 1)
            #expect(try await redis.get(dest, as: [UInt8].self) == [0b1110_0000])
            #expect(try await redis.bitopXor(dest, a, b) == 1)
            #expect(try await redis.get(dest, as: [UInt8].self) == [0b0110_0000])
            #expect(try await redis.bitopNot(dest, a) == 1)
            #expect(try await redis.get(dest, as: [UInt8].self) == [0b0011_1111])
            let field = uniqueKey()
            let replies = try await redis.bitfield(field, [
                .set(type: "u8", offset: "0", value: 200), .get(type: "u8", offset: "0"),
                .incrby(type: "u8", offset: "0", increment: 100), .overflow(.fail),
                .incrby(type: "u8", offset: "0", increment: 250),
            ])
            #expect(replies == [0, 200, 44, nil])
            #expect(try await redis.bitfield(field, arguments: ["GET", "i8", "#0"]) == [44])
            try await redis.del(a, b, dest, field)
        }
    }

    @Test("wrong type is a ReplyError with the WRONGTYPE code")
    func wrongType() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.rpush(key, "x")
            await expectReplyError(code: "WRONGTYPE") { try await redis.get(key) }
            try await redis.del(key)
        }
    }
}
