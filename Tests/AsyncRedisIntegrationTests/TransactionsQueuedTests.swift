import AsyncRedis
import NIOCore
import Testing

@Suite("Transactions: Pipeline and MultiExec objects with typed pending replies")
struct TransactionsQueuedTests {
    @Test("commands queued on a pipeline answer typed pending replies after execute()")
    func typedPipeline() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let hash = uniqueKey()
            let pipe = redis.pipeline()
            let set = pipe.queue { try $0.set(key, 41) }
            let incremented = pipe.queue { try $0.incr(key) }
            let fields = pipe.queue { try $0.hset(hash, ["a": "1", "b": "2"]) }
            let all = pipe.queue { try $0.hgetall(hash) }
            let raw = pipe.add("GET", key)
            let missing = pipe.queue { try $0.get(uniqueKey()) }
            #expect(pipe.count == 6)
            let replies = try await pipe.execute()
            #expect(replies.count == 6)
            #expect(try await set.value == true)
            #expect(try await incremented.value == 42)
            #expect(try await fields.value == 2)
            #expect(try await all.value == ["a": "1", "b": "2"])
            #expect(try await raw.value.string() == "42")
            #expect(try await missing.value == nil)
            _ = try await redis.execute("DEL", key, hash)
        }
    }

    @Test("pending replies stay readable when other pipelined commands fail")
    func pipelineWithFailures() async throws {
        try await withRedis { redis in
            let text = uniqueKey()
            let pipe = redis.pipeline()
            pipe.queue { try $0.set(text, "abc") }
            let bad = pipe.queue { try $0.incr(text) }
            let good = pipe.queue { try $0.append(text, "d") }
            let invalid = pipe.queue { try $0.bitcount(text, start: 1) }  // refused before sending
            do {
                try await pipe.execute()
                Issue.record("expected PipelineResultsError")
            } catch let error as PipelineResultsError {
                #expect(error.errors.map(\.index) == [1, 3])
                #expect((error.errors[0].error as? ReplyError)?.code == "ERR")
                #expect(error.errors[1].error is InvalidArgumentError)
                #expect(try error.results[2].get() == .integer(4))
            }
            await expectReplyError(code: "ERR") { try await bad.value }
            #expect(try await good.value == 4)
            await #expect(throws: InvalidArgumentError.self) { try await invalid.value }
            #expect(try await redis.get(text) == "abcd")
            _ = try await redis.execute("DEL", text)
        }
    }

    @Test("a pipeline of 10 000 queued commands on a pool reports exactly the failed ones")
    func largeTypedPipeline() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 2)
        defer { redis.close() }
        let counter = uniqueKey()
        let notANumber = uniqueKey()
        _ = try await redis.set(notANumber, "x")
        let pipe = redis.pipeline()
        var pending: [RedisPendingReply<Int>] = []
        var failing: [Int] = []
        for index in 0..<10_000 {
            let key = index % 1_111 == 7 ? notANumber : counter
            if key == notANumber { failing.append(index) }
            pending.append(index.isMultiple(of: 2) ? pipe.queue { try $0.incr(key) } : pipe.queue { try $0.incrby(key, 1) })
        }
        do {
            try await pipe.execute()
            Issue.record("expected PipelineResultsError")
        } catch let error as PipelineResultsError {
            #expect(error.errors.map(\.index) == failing)
            #expect(error.results.count == 10_000)
        }
        var succeeded = 0
        for (index, reply) in pending.enumerated() {
            do {
                let value = try await reply.value
                succeeded += 1
                if value != succeeded { Issue.record("reply \(index) is \(value), expected \(succeeded)") }
            } catch let error as ReplyError {
                #expect(failing.contains(index), "\(error)")
            }
        }
        #expect(succeeded == 10_000 - failing.count)
        _ = try await redis.execute("DEL", counter, notANumber)
    }

    @Test("MULTI/EXEC answers EXEC's replies to the pending replies and leaves the transaction")
    func typedMultiExec() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let list = uniqueKey()
            var length: RedisPendingReply<Int>?
            let replies = try await redis.multiExec { tx in
                tx.queue { try $0.set(key, 1) }
                tx.add("INCRBY", key, 9)
                length = tx.queue { try $0.rpush(list, "a", "b", "c") }
            }
            #expect(replies == [.simpleString(ByteBuffer(string: "OK")), .integer(10), .integer(3)])
            #expect(try await length?.value == 3)
            #expect(!redis.inTransaction)
            #expect(try await redis.ping() == "PONG")
            _ = try await redis.execute("DEL", key, list)
        }
    }

    @Test("EXECABORT gives the rejected command its own error and the others the MultiExecError")
    func typedExecAbort() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let tx = redis.multiExec()
            let set = tx.queue { try $0.set(key, 1) }
            let bogus = tx.add("NOSUCHCOMMAND", key)
            do {
                try await tx.execute()
                Issue.record("expected MultiExecError")
            } catch let error as MultiExecError {
                #expect(error.errors.map(\.index) == [1])
            }
            await #expect(throws: MultiExecError.self) { try await set.value }
            await expectReplyError(code: "ERR") { try await bogus.value }
            #expect(try await redis.exists(key) == 0)
            #expect(!redis.inTransaction)
        }
    }

    @Test("a queued call that fails before sending keeps the whole MULTI/EXEC block from being sent")
    func multiExecInvalidCall() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let tx = redis.multiExec()
            let set = tx.queue { try $0.set(key, 1) }
            tx.queue { try $0.bitcount(key, end: 3) }
            do {
                try await tx.execute()
                Issue.record("expected MultiExecError")
            } catch let error as MultiExecError {
                #expect(error.errors.map(\.index) == [1])
                #expect(error.errors.first?.error is InvalidArgumentError)
            }
            await #expect(throws: MultiExecError.self) { try await set.value }
            #expect(try await redis.exists(key) == 0)
        }
    }

    @Test("a watched key changed by another client fails execute() and every pending reply")
    func typedWatchConflict() async throws {
        try await withRedis { redis in
            try await withRedis { other in
                let key = uniqueKey()
                try await redis.watch(key)
                _ = try await other.set(key, "theirs")
                let tx = redis.multiExec()
                let set = tx.queue { try $0.set(key, "mine") }
                await #expect(throws: WatchVariableError.self) { try await tx.execute() }
                await #expect(throws: WatchVariableError.self) { try await set.value }
                #expect(try await redis.get(key) == "theirs")
                _ = try await redis.execute("DEL", key)
            }
        }
    }

    @Test("misuse fails clearly: execute twice, queue after execute, a dropped batch")
    func misuse() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let pipe = redis.pipeline()
            let incremented = pipe.queue { try $0.incr(key) }
            try await pipe.execute()
            #expect(try await incremented.value == 1)
            await #expect(throws: InvalidArgumentError.self) { try await pipe.execute() }
            let late = pipe.queue { try $0.incr(key) }
            await #expect(throws: InvalidArgumentError.self) { try await late.value }
            #expect(try await redis.get(key) == "1")

            var dropped: Pipeline? = redis.pipeline()
            let orphan = dropped?.queue { try $0.incr(key) }
            let orphanRaw = dropped?.add("INCR", key)
            dropped = nil
            await #expect(throws: InvalidArgumentError.self) { try await orphan?.value }
            await #expect(throws: InvalidArgumentError.self) { try await orphanRaw?.value }
            #expect(try await redis.get(key) == "1")
            #expect(try await redis.pipeline { _ in }.isEmpty)
            #expect(try await redis.multiExec { _ in }.isEmpty)
            _ = try await redis.execute("DEL", key)
        }
    }

    @Test("MULTI/EXEC blocks on a pool under 100 concurrent tasks never interleave")
    func concurrentBlocksOnPool() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 2, maxSize: 8)
        defer { redis.close() }
        let a = uniqueKey()
        let b = uniqueKey()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    let tx = redis.multiExec()
                    let first = tx.queue { try $0.incr(a) }
                    let second = tx.queue { try $0.incr(b) }
                    try await tx.execute()
                    // Atomic: nobody else's INCR can land between the two.
                    let (x, y) = (try await first.value, try await second.value)
                    #expect(x == y)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await redis.get(a) == "100")
        #expect(try await redis.get(b) == "100")
        _ = try await redis.execute("DEL", a, b)
    }

    @Test("a connection closed by the server mid-pipeline fails execute() and every pending reply")
    func connectionLostMidPipeline() async throws {
        try await withRedis { redis in
            let pipe = redis.pipeline()
            let before = pipe.add("PING")
            pipe.add("QUIT")  // the server answers OK and closes: the PING after it never gets a reply
            let after = pipe.queue { try $0.ping() }
            await #expect(throws: ConnectionClosedError.self) { try await pipe.execute() }
            await #expect(throws: ConnectionClosedError.self) { try await before.value }
            await #expect(throws: ConnectionClosedError.self) { try await after.value }
            #expect(redis.isClosed)
        }
    }
}
