import NIOConcurrencyHelpers
import Testing

@testable import AsyncRedis

/// A pool type of a user's own: leases `RedisConnection`s from an inner pool and counts its leases. `Redis` knows
/// nothing of it beyond `RedisPoolProtocol`.
private final class CountingPool: RedisPoolProtocol {
    let inner: ConnectionsPool
    let leases = NIOLockedValueBox(0)
    init(inner: ConnectionsPool) { self.inner = inner }

    static func connect(_ configuration: RedisConnectionConfiguration) async throws -> CountingPool {
        CountingPool(inner: try await createPool(configuration: configuration))
    }

    var address: RedisAddress { inner.address }
    var db: Int { inner.db }
    var encoding: RedisEncoding? { inner.encoding }
    var isClosed: Bool { inner.isClosed }
    var pubsubChannels: [String: PubSubChannel] { inner.pubsubChannels }
    var pubsubPatterns: [String: PubSubChannel] { inner.pubsubPatterns }
    var inPubSub: Int { inner.inPubSub }
    func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await inner.execute(command, arguments: arguments)
    }
    func executePubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue] {
        try await inner.executePubSub(command, channels: channels)
    }
    func getConnection() -> (RedisConnection?, RedisAddress) { inner.getConnection() }
    func acquire() async throws -> RedisConnection {
        leases.withLockedValue { $0 += 1 }
        return try await inner.acquire()
    }
    func release(_ connection: RedisConnection) { inner.release(connection) }
    func close() { inner.close() }
    func waitClosed() async { await inner.waitClosed() }
}

/// `Redis` runs batches, `withConnection`, `select`, `auth` and `inTransaction` through `RedisConnectionProtocol`,
/// whatever it wraps.
@Suite("Dedicated connections through RedisConnectionProtocol, without downcasts")
struct DedicatedConnectionTests {
    @Test("a pool type of a user's own leases a connection for a pipeline, a MULTI/EXEC and withConnection")
    func userPoolLeasesThroughTheProtocol() async throws {
        let pool = CountingPool(inner: try await createPool(try TestServers.plain(), minSize: 1, maxSize: 2))
        let redis = Redis(pool)
        defer { redis.close() }
        let key = uniqueKey()
        #expect(try await redis.pipeline([("SET", [key, "1"]), ("INCR", [key])]).last == .integer(2))
        #expect(try await redis.multiExec([("INCR", [key])]) == [.integer(3)])
        let sameConnection = try await redis.withConnection { leased in
            leased !== redis && leased.connection is RedisConnection
        }
        #expect(sameConnection)
        #expect(pool.leases.withLockedValue { $0 } == 3)
        // Every lease was given back.
        #expect(pool.inner.freeSize == pool.inner.size)
        #expect(!redis.inTransaction)
    }

    @Test("over a single connection, withConnection runs on the Redis itself and select moves its db")
    func singleConnectionIsItsOwnDedicatedConnection() async throws {
        let redis = try await createRedis(try TestServers.plain())
        defer { redis.close() }
        #expect(try await redis.withConnection { $0 === redis })
        try await redis.select(3)
        #expect(redis.db == 3)
        _ = try await redis.execute("MULTI")
        #expect(redis.inTransaction)
        _ = try await redis.execute("DISCARD")
        #expect(!redis.inTransaction)
    }

    @Test("a connection type of a user's own runs withConnection on itself; a batch, which needs RedisConnection, fails clearly")
    func userConnectionType() async throws {
        let connection = LoggingConnection(inner: try await TestServers.connect())
        let redis = Redis(connection)
        defer { redis.close() }
        #expect(try await redis.withConnection { $0 === redis })
        await #expect(throws: InvalidArgumentError.self) { _ = try await redis.pipeline([("PING", [])]) }
        #expect(connection.log.withLockedValue { $0 }.isEmpty)
    }
}
