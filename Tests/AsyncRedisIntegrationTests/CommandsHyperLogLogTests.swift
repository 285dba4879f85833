import Testing

@testable import AsyncRedis

@Suite("Commands: HyperLogLog")
struct CommandsHyperLogLogTests {
    @Test("pfadd reports changes, pfcount estimates, pfmerge unites")
    func hyperLogLog() async throws {
        try await withRedis { redis in
            let a = uniqueKey(), b = uniqueKey(), merged = uniqueKey()
            #expect(try await redis.pfadd(a, "x", "y", "z"))
            #expect(try await redis.pfadd(a, "x") == false)
            #expect(try await redis.pfcount(a) == 3)
            try await redis.pfadd(b, "z", "w")
            #expect(try await redis.pfcount(a, b) == 4)
            #expect(try await redis.pfmerge(merged, a, b))
            #expect(try await redis.pfcount(merged) == 4)
            try await redis.set(b, "not a hll")
            await expectReplyError(code: "WRONGTYPE") { try await redis.pfcount(b) }
            try await redis.del(a, b, merged)
        }
    }
}
