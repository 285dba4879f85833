import AsyncRedis
import AsyncRedisTestSupport
import Testing

@Suite("No password in what live connections, pools and clients reflect")
struct SecretRedactionLiveTests {
    @Test("connections, pools and Redis clients opened with a password reflect none")
    func liveObjects() async throws {
        let password = try TestServers.authPassword()
        let address = RedisAddress.tcp(host: TestServers.host, port: try TestServers.authPort())
        let connection = try await createConnection(address, password: password)
        defer { connection.close() }
        let pool = try await createPool(address, password: password, minSize: 1, maxSize: 2)
        defer { pool.close() }
        let redis = try await createRedis(address, password: password)
        defer { redis.close() }
        for value in [connection, pool, redis] as [Any] {
            for text in renderings(value) { #expect(!text.contains(password), "\(text)") }
        }
    }
}
