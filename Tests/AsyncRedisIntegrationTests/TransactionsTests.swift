import AsyncRedis
import AsyncRedisTestSupport
import NIOCore
import Synchronization
import Testing

private func text(_ reply: RESPValue) -> String? { reply.string() }

@Suite("Transactions: pipelines, MULTI/EXEC, WATCH")
struct TransactionsTests {
    @Test("a pipeline returns every reply in order")
    func pipelineReplies() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let replies = try await redis.pipeline([
                ("SET", [key, "1"]), ("INCR", [key]), ("GET", [key]), ("DEL", [key]),
            ])
            #expect(replies.map(text) == ["OK", "2", "2", "1"])
            #expect(try await redis.pipeline([]).isEmpty)
        }
    }

    @Test("the builder forms collect commands in order")
    func builders() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let replies = try await redis.pipeline { batch in
                batch.add("SET", key, 5)
                batch.add("INCRBY", arguments: [key, 2])
            }
            #expect(replies.map(text) == ["OK", "7"])
            let block = try await redis.multiExec { batch in
                batch.add("INCR", key)
                batch.add("GET", key)
            }
            #expect(block.map(text) == ["8", "8"])
            _ = try await redis.execute("DEL", key)
        }
    }

    @Test("multiExec refuses to run on a connection already inside MULTI")
    func nestedMulti() async throws {
        try await withRedis { redis in
            _ = try await redis.execute("MULTI")
            await expectInvalidArgument { try await redis.multiExec([("PING", [])]) }
            _ = try await redis.execute("DISCARD")
            #expect(try await redis.multiExec([("PING", [])]).map(text) == ["PONG"])
        }
    }

    @Test("a pipeline of 10 000 commands reports exactly the failed indexes")
    func pipelineFailures() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 2)
        defer { redis.close() }
        let counter = uniqueKey()
        let notANumber = uniqueKey()
        _ = try await redis.execute("SET", notANumber, "abc")
        var commands: [(String, [any RedisArgument])] = []
        var failing: [Int] = []
        for index in 0..<10_000 {
            if index % 997 == 13 {
                commands.append(("INCR", [notANumber]))
                failing.append(index)
            } else {
                commands.append(("INCR", [counter]))
            }
        }
        do {
            _ = try await redis.pipeline(commands)
            Issue.record("expected a PipelineError")
        } catch let error as PipelineResultsError {
            #expect(error.errors.map(\.index) == failing)
            #expect(error.errors.allSatisfy { ($0.error as? ReplyError)?.code == "ERR" })
            #expect(error.results.count == 10_000)
            if case .success(let last) = error.results[9_999] {
                #expect(last == .integer(Int64(10_000 - failing.count)))
            } else {
                Issue.record("last command should have succeeded")
            }
        }
        let results = try await redis.pipelineResults([("GET", [counter]), ("INCR", [notANumber])])
        #expect(try results[0].get().string() == String(10_000 - failing.count))
        #expect(throws: ReplyError.self) { try results[1].get() }
        _ = try await redis.execute("DEL", counter, notANumber)
    }

    @Test("multiExec returns EXEC's replies")
    func multiExecResults() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            let replies = try await redis.multiExec([("SET", [key, "1"]), ("INCR", [key]), ("GET", [key])])
            #expect(replies.map(text) == ["OK", "2", "2"])
            #expect(!redis.inTransaction)
            _ = try await redis.execute("DEL", key)
        }
    }

    @Test("a command rejected while queuing aborts the whole block (EXECABORT)")
    func execAbort() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            do {
                _ = try await redis.multiExec([("SET", [key, "1"]), ("NOSUCHCOMMAND", []), ("INCR", [key])])
                Issue.record("expected MultiExecError")
            } catch let error as MultiExecError {
                #expect(!(error is WatchVariableError))
                #expect(!(error is MultiExecResultsError))
                #expect(error.errors.map(\.index) == [1])
                #expect(error.message.hasPrefix("EXECABORT"))
            }
            #expect(try await redis.execute("EXISTS", key, as: Int.self) == 0)
            #expect(!redis.inTransaction)
            #expect(try await redis.ping() == "PONG")
        }
    }

    @Test("a command failing inside EXEC is reported at its index; the others ran")
    func errorInsideExec() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            do {
                _ = try await redis.multiExec([("SET", [key, "x"]), ("LPUSH", [key, "a"]), ("GET", [key])])
                Issue.record("expected MultiExecError")
            } catch let error as MultiExecResultsError {
                #expect(error.errors.map(\.index) == [1])
                #expect((error.errors.first?.error as? ReplyError)?.code == "WRONGTYPE")
                #expect(try error.results[2].get().string() == "x")
            }
            _ = try await redis.execute("DEL", key)
        }
    }

    @Test("a watched key changed by another connection makes EXEC fail with WatchVariableError")
    func watchConflict() async throws {
        try await withRedis { redis in
            try await withRedis { other in
                let key = uniqueKey()
                try await redis.watch(key)
                _ = try await other.execute("SET", key, "changed")
                await #expect(throws: WatchVariableError.self) {
                    try await redis.multiExec([("SET", [key, "mine"])])
                }
                #expect(try await redis.execute("GET", key, as: String.self) == "changed")
                // EXEC ended the WATCH: the next block goes through.
                #expect(try await redis.multiExec([("SET", [key, "mine"])]).map(text) == ["OK"])
                try await redis.watch([key])
                try await redis.unwatch()
                _ = try await other.execute("SET", key, "again")
                #expect(try await redis.multiExec([("GET", [key])]).map(text) == ["again"])
                _ = try await redis.execute("DEL", key)
            }
        }
    }

    @Test("transaction(watching:) retries after a conflict and succeeds on the second attempt")
    func transactionRetry() async throws {
        try await withRedis { redis in
            try await withRedis { other in
                let key = uniqueKey()
                _ = try await redis.execute("SET", key, 10)
                let attempts = Mutex(0)
                let replies = try await redis.transaction(watching: [key]) { context in
                    attempts.withLock { $0 = context.attempt }
                    let value = try await context.execute("GET", key, as: Int.self)
                    if context.attempt == 1 {
                        _ = try await other.execute("INCRBY", key, 100)
                    }
                    return [("SET", [key, value + 1]), ("GET", [key])]
                }
                #expect(attempts.withLock { $0 } == 2)
                #expect(replies.map(text) == ["OK", "111"])
                _ = try await redis.execute("DEL", key)
            }
        }
    }

    @Test("transaction(watching:) gives up after maxAttempts, and leaves no WATCH behind a failing body")
    func transactionGivesUp() async throws {
        try await withRedis { redis in
            try await withRedis { other in
                let key = uniqueKey()
                let calls = Mutex(0)
                await #expect(throws: WatchVariableError.self) {
                    try await redis.transaction(watching: [key], maxAttempts: 3) { context in
                        calls.withLock { $0 += 1 }
                        _ = try await other.execute("INCR", key)
                        return [("SET", [key, "never"])]
                    }
                }
                #expect(calls.withLock { $0 } == 3)
                #expect(try await redis.execute("GET", key, as: String.self) == "3")

                struct BodyFailure: Error {}
                await #expect(throws: BodyFailure.self) {
                    try await redis.transaction(watching: [key]) { _ in throw BodyFailure() }
                }
                // The WATCH from the failed body is gone: a change by someone else does not abort this block.
                _ = try await other.execute("SET", key, "x")
                #expect(try await redis.multiExec([("GET", [key])]).map(text) == ["x"])
                _ = try await redis.execute("DEL", key)
            }
        }
    }

    @Test("on a pool, 100 concurrent MULTI/EXEC blocks never interleave")
    func concurrentMultiExecOnPool() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 2, maxSize: 8)
        defer { redis.close() }
        let a = uniqueKey("a")
        let b = uniqueKey("b")
        try await withTimeLimit(.seconds(60)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        let replies = try await redis.multiExec([("INCR", [a]), ("INCR", [b])])
                        #expect(replies.count == 2)
                        #expect(replies[0] == replies[1])
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(try await redis.execute("GET", a, as: Int.self) == 100)
        #expect(try await redis.execute("GET", b, as: Int.self) == 100)
        _ = try await redis.execute("DEL", a, b)
    }

    @Test("on a pool, concurrent optimistic transactions (GET then SET) lose no update")
    func concurrentTransactionsOnPool() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 2, maxSize: 5)
        defer { redis.close() }
        let key = uniqueKey()
        try await withTimeLimit(.seconds(60)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        _ = try await redis.transaction(watching: [key], maxAttempts: 1_000) { context in
                            let value = try await context.execute("GET", key, as: Int?.self) ?? 0
                            return [("SET", [key, value + 1])]
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(try await redis.execute("GET", key, as: Int.self) == 20)
        _ = try await redis.execute("DEL", key)
    }
}
