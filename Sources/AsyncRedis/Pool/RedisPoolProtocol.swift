/// What a pool offers beyond a connection (aioredis `AbcPool`).
public protocol RedisPoolProtocol: RedisConnectionProtocol {
    /// A free connection, without waiting, and the pool's address; `nil` when none is free.
    func getConnection() -> (RedisConnection?, RedisAddress)
    /// A connection leased exclusively until `release`.
    func acquire() async throws -> RedisConnection
    /// Gives a leased connection back.
    func release(_ connection: RedisConnection)
}
