/// What a pool offers beyond a connection (aioredis `AbcPool`): connections of its own type, leased and given back.
public protocol RedisPoolProtocol: RedisConnectionProtocol {
    /// The connections the pool hands out (`RedisConnection` for the pools of AsyncRedis).
    associatedtype Connection: RedisConnectionProtocol

    /// A free connection, without waiting, and the pool's address; `nil` when none is free.
    func getConnection() -> (Connection?, RedisAddress)
    /// A connection leased exclusively until `release`.
    func acquire() async throws -> Connection
    /// Gives a leased connection back.
    func release(_ connection: Connection)
}

extension RedisPoolProtocol {
    /// Runs `body` on a connection leased for the call and released on every path, errors and cancellation
    /// included.
    public func withDedicatedConnection<T>(_ body: (any RedisConnectionProtocol) async throws -> T) async throws
        -> T
    {
        let leased = try await acquire()
        do {
            let result = try await body(leased)
            release(leased)
            return result
        } catch {
            release(leased)
            throw error
        }
    }
}
