import NIOCore
import NIOPosix
import Testing

@testable import AsyncRedis

/// `RedisConnectionOptions` behind every `create*` function: an option given once reaches the connections of each.
@Suite("RedisConnectionOptions: one value behind every create* function")
struct ConnectionOptionsTests {
    /// True when `connection` runs on `group`'s only event loop.
    private func runs(_ connection: RedisConnection, on group: MultiThreadedEventLoopGroup) -> Bool {
        ObjectIdentifier(connection.channel.eventLoop) == ObjectIdentifier(group.next())
    }

    @Test("the event loop group, db and encoding of the options reach a connection, a Redis, pools and a subscriber")
    func optionsReachEveryKind() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let options = RedisConnectionOptions(db: 3, encoding: .latin1, eventLoopGroup: group)
        let address = try TestServers.plain()

        let connection = try await createConnection(address, options: options)
        #expect(runs(connection, on: group) && connection.db == 3 && connection.encoding == .latin1)
        connection.close()

        let redis = try await createRedis(address, options: options)
        let single = try #require(redis.connection as? RedisConnection)
        #expect(runs(single, on: group) && single.db == 3)
        redis.close()

        let pool = try await createPool(address, options: options, minSize: 1, maxSize: 2)
        try await pool.withConnection { leased in #expect(runs(leased, on: group) && leased.db == 3) }
        pool.close()

        let redisPool = try await createRedisPool(address, options: options, maxSize: 2)
        let pooled = try #require(redisPool.connection as? ConnectionsPool)
        try await pooled.withConnection { leased in #expect(runs(leased, on: group) && leased.encoding == .latin1) }
        redisPool.close()

        let subscriber = try await createSubscriber(address, options: options, resubscribe: false)
        #expect(runs(subscriber.connection, on: group) && subscriber.connection.encoding == .latin1)
        subscriber.close()

        for closing in [connection, single] { await closing.waitClosed() }
        await pool.waitClosed()
        await pooled.waitClosed()
        await subscriber.connection.waitClosed()
        try await group.shutdownGracefully()
    }

    @Test("the options' reply limits reach a Redis pool, which the keyword form cannot set")
    func replyLimitsReachARedisPool() async throws {
        let options = RedisConnectionOptions(maximumReplyDepth: 1)
        let redis = try await createRedisPool(try TestServers.plain(), options: options, maxSize: 1)
        defer { redis.close() }
        #expect(try await redis.ping() == "PONG")
        // COMMAND INFO GET answers an array of arrays: two levels at least.
        await #expect(throws: ProtocolError.self) { _ = try await redis.execute("COMMAND", "INFO", "GET") }
    }

    @Test("the keyword forms that lacked them take eventLoopGroup (createRedis, createRedisPool) and encoding (createSubscriber)")
    func keywordFormsTakeTheMissingOptions() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let address = try TestServers.plain()
        let redis = try await createRedis(address, eventLoopGroup: group)
        #expect(runs(try #require(redis.connection as? RedisConnection), on: group))
        redis.close()
        let redisPool = try await createRedisPool(address, maxSize: 1, eventLoopGroup: group)
        let pool = try #require(redisPool.connection as? ConnectionsPool)
        try await pool.withConnection { #expect(runs($0, on: group)) }
        redisPool.close()
        let subscriber = try await createSubscriber(
            address, encoding: .ascii, eventLoopGroup: group, resubscribe: false)
        #expect(runs(subscriber.connection, on: group) && subscriber.connection.encoding == .ascii)
        subscriber.close()
        await (redis.connection as? RedisConnection)?.waitClosed()
        await pool.waitClosed()
        await subscriber.connection.waitClosed()
        try await group.shutdownGracefully()
    }
}
