import Foundation
import Testing

@testable import AsyncRedis

/// Pool and connection behaviour an aioredis user relies on: WATCH never leaks to the next user of a pooled
/// connection, both handshakes accept the same credentials, and `auth` on a pool reaches every connection.
@Suite("Pool and Redis parity with aioredis")
struct PoolParityTests {
    @Test("Redis.watch on a pool does not leave a WATCHing connection for a later, unrelated MULTI/EXEC")
    func watchDoesNotLeak() async throws {
        let redis = try await createRedisPool(try TestServers.plain(), minSize: 1, maxSize: 1)
        defer { redis.close() }
        let watched = uniqueKey("watched")
        let other = uniqueKey("other")
        try await redis.watch(watched)
        try await withConnection { elsewhere in _ = try await elsewhere.execute("SET", watched, "changed") }
        // The pool's only connection runs this transaction: it must not fail for a key it never watched.
        let results = try await redis.multiExec { tx in
            tx.add("SET", other, "v")
            tx.add("GET", other)
        }
        #expect(results.count == 2)
        #expect(try await redis.get(other) == "v")
    }

    @Test("a password without a username: RESP2 and RESP3 handshakes behave alike", arguments: [2, 3])
    func passwordWithoutUsername(protocolVersion: Int) async throws {
        // The plain server's default user has no password: both protocols accept any password, as HELLO does.
        let lenient = try await createConnection(
            try TestServers.plain(), password: "anything", protocolVersion: protocolVersion)
        #expect(try await lenient.execute("ACL", "WHOAMI", as: String.self) == "default")
        lenient.close()
        // The auth server checks it: the right one is accepted, a wrong one is an AuthError, on both protocols.
        let authServer = RedisAddress.tcp(host: TestServers.host, port: try TestServers.authPort())
        let checked = try await createConnection(
            authServer, password: try TestServers.authPassword(), protocolVersion: protocolVersion)
        #expect(try await checked.execute("PING", as: String.self) == "PONG")
        checked.close()
        await #expect(throws: AuthError.self) {
            try await createConnection(authServer, password: "wrong", protocolVersion: protocolVersion)
        }
    }

    @Test("auth on a pool authenticates every connection and the connections it opens later")
    func authOnPool() async throws {
        let authServer = RedisAddress.tcp(host: TestServers.host, port: try TestServers.authPort())
        let redis = try await createRedisPool(
            authServer, password: try TestServers.authPassword(), minSize: 3, maxSize: 3)
        defer { redis.close() }
        let pool = try #require(redis.connection as? ConnectionsPool)
        let user = try TestServers.aclUser()
        #expect(try await redis.auth(try TestServers.aclPassword(), username: user))
        var leased: [RedisConnection] = []
        for _ in 0..<3 { leased.append(try await pool.acquire()) }
        for connection in leased {
            #expect(try await connection.execute("ACL", "WHOAMI", as: String.self) == user)
            pool.release(connection)
        }
        await pool.clear()
        #expect(try await redis.execute("ACL", "WHOAMI", as: String.self) == user)
        // Refused credentials throw and leave the pool as it was.
        await #expect(throws: AuthError.self) { try await redis.auth("wrong", username: user) }
        #expect(try await redis.execute("ACL", "WHOAMI", as: String.self) == user)
    }

    @Test("a URI's ?ssl=true turns TLS on, as aioredis parse_url does; valkey:// and valkeys:// are aliases")
    func uriAliases() throws {
        let ssl = try RedisAddressParser.parse("redis://localhost:6380/2?ssl=true")
        #expect(ssl.useTLS && ssl.db == 2 && ssl.port == 6380)
        #expect(try RedisAddressParser.parse("redis://localhost?ssl=false").useTLS == false)
        #expect(
            try RedisAddressParser.parse("valkey://u:p@localhost:7000/1")
                == RedisAddressParser.parse("redis://u:p@localhost:7000/1"))
        #expect(try RedisAddressParser.parse("valkeys://localhost").useTLS)
        #expect(throws: InvalidAddressError.self) { try RedisAddressParser.parse("rediss://localhost?ssl=false") }
        #expect(throws: InvalidAddressError.self) { try RedisAddressParser.parse("redis://localhost?ssl=maybe") }
        #expect(throws: InvalidAddressError.self) { try RedisAddressParser.parse("unix:///tmp/r.sock?ssl=true") }
    }

    @Test("?ssl=true connects to the TLS server", .needsTLS)
    func sslQueryConnects() async throws {
        let tls = try RedisTLS.trusting(caFile: try TestServers.tlsCA())
        let connection = try await createConnection(
            try RedisAddressParser.parse("redis://localhost:\(try TestServers.tlsPort())?ssl=true"), ssl: tls)
        defer { connection.close() }
        #expect(try await connection.execute("PING", as: String.self) == "PONG")
    }
}
