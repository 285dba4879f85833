import AsyncRedisTestSupport
import Testing

@testable import AsyncRedis

@Suite("Commands: lists")
struct CommandsListTests {
    @Test("push, pop, range, len, index, set, trim, rem, insert")
    func basics() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.rpush(key, "b", "c") == 2)
            #expect(try await redis.lpush(key, "a") == 3)
            #expect(try await redis.rpush(key, values: ["d", 5]) == 5)
            #expect(try await redis.lpush(key, values: ["z"]) == 6)
            #expect(try await redis.lrange(key) == ["z", "a", "b", "c", "d", "5"])
            #expect(try await redis.lrange(key, 1, 2) == ["a", "b"])
            #expect(try await redis.lrange(key, -1, -1, as: Int.self) == [5])
            #expect(try await redis.llen(key) == 6)
            #expect(try await redis.lindex(key, 1) == "a")
            #expect(try await redis.lindex(key, -1, as: Int.self) == 5)
            #expect(try await redis.lindex(key, 100) == nil)
            #expect(try await redis.lset(key, 0, "y"))
            await expectReplyError(code: "ERR") { try await redis.lset(key, 100, "x") }
            #expect(try await redis.lpop(key) == "y")
            #expect(try await redis.rpop(key) == "5")
            #expect(try await redis.lpop(key, count: 2) == ["a", "b"])
            #expect(try await redis.rpop(key, count: 5) == ["d", "c"])
            #expect(try await redis.lpop(key) == nil)
            #expect(try await redis.lpop(key, count: 2) == nil)
            #expect(try await redis.rpush(key, "a", "b", "a", "c", "a") == 5)
            #expect(try await redis.lrem(key, count: -1, "a") == 1)
            #expect(try await redis.lrem(key, count: 0, "a") == 2)
            #expect(try await redis.lrange(key) == ["b", "c"])
            #expect(try await redis.linsert(key, pivot: "c", value: "x", before: true) == 3)
            #expect(try await redis.linsert(key, pivot: "c", value: "y") == 4)
            #expect(try await redis.linsert(key, pivot: "nope", value: "y") == -1)
            #expect(try await redis.lrange(key) == ["b", "x", "c", "y"])
            #expect(try await redis.ltrim(key, 1, 2))
            #expect(try await redis.lrange(key) == ["x", "c"])
            #expect(try await redis.lpop(key, as: [UInt8].self) == Array("x".utf8))
            #expect(try await redis.rpop(key, as: String.self) == "c")
            try await redis.del(key)
        }
    }

    @Test("pushx only pushes onto existing lists")
    func pushx() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            #expect(try await redis.lpushx(key, "a") == 0)
            #expect(try await redis.rpushx(key, "a") == 0)
            #expect(try await redis.exists(key) == 0)
            try await redis.rpush(key, "m")
            #expect(try await redis.lpushx(key, "l", "k") == 3)
            #expect(try await redis.rpushx(key, "r") == 4)
            #expect(try await redis.lrange(key) == ["k", "l", "m", "r"])
            try await redis.del(key)
        }
    }

    @Test("lpos with rank, count, maxlen")
    func lpos() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.rpush(key, "a", "b", "c", "1", "2", "3", "c", "c")
            #expect(try await redis.lpos(key, "c") == 2)
            #expect(try await redis.lpos(key, "c", rank: 2) == 6)
            #expect(try await redis.lpos(key, "c", rank: -1) == 7)
            #expect(try await redis.lpos(key, "nope") == nil)
            #expect(try await redis.lpos(key, "c", count: 0) == [2, 6, 7])
            #expect(try await redis.lpos(key, "c", count: 2, rank: -1) == [7, 6])
            #expect(try await redis.lpos(key, "c", count: 0, maxlen: 3) == [2])
            try await redis.del(key)
        }
    }

    @Test("lmove, rpoplpush, and the blocking forms with data and on timeout")
    func moves() async throws {
        try await withRedis { redis in
            let source = uniqueKey(), dest = uniqueKey(), empty = uniqueKey()
            try await redis.rpush(source, "1", "2", "3")
            #expect(try await redis.lmove(source, dest, from: .left, to: .right) == "1")
            #expect(try await redis.rpoplpush(source, dest) == "3")
            #expect(try await redis.lrange(dest) == ["3", "1"])
            #expect(try await redis.blmove(source, dest, from: .right, to: .left, timeout: .milliseconds(100)) == "2")
            #expect(try await redis.lmove(source, dest, from: .left, to: .left) == nil)
            #expect(try await redis.brpoplpush(dest, source, timeout: .milliseconds(100)) == "1")
            #expect(try await redis.blmove(empty, dest, from: .left, to: .left, timeout: .milliseconds(50)) == nil)
            #expect(try await redis.brpoplpush(empty, dest, timeout: .milliseconds(50)) == nil)
            let popped = try await redis.blpop(empty, dest, timeout: .milliseconds(100))
            #expect(popped?.key == dest && popped?.value == "2")
            let right = try await redis.brpop(empty, dest, timeout: .milliseconds(100))
            #expect(right?.key == dest && right?.value == "3")
            #expect(try await redis.blpop(empty, timeout: .milliseconds(50)) == nil)
            #expect(try await redis.brpop(empty, timeout: .milliseconds(50)) == nil)
            await expectInvalidArgument { try await redis.blpop(empty, timeout: .seconds(-1)) }
            try await redis.del(source, dest)
        }
    }

    @Test("blpop waits for a push from another client")
    func blpopWakesUp() async throws {
        let key = uniqueKey()
        try await withTimeLimit {
            try await withRedis { waiter in
                try await withRedis { pusher in
                    async let popped = waiter.blpop(key, timeout: .seconds(5))
                    try await Task.sleep(for: .milliseconds(100))
                    try await pusher.rpush(key, "hello")
                    let result = try await popped
                    #expect(result?.key == key && result?.value == "hello")
                }
            }
        }
    }
}
