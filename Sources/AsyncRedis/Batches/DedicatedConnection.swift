// Batches need every command on one connection: on a `RedisConnection` that is the connection itself (a batch
// is written in one go, so concurrent callers cannot interleave with it); on a pool (`RedisPoolProtocol`) a
// connection is leased for the duration of the call and given back afterwards.

extension Redis {
    /// Runs `body` on one connection: the `RedisConnection` itself, or one leased from the pool and released on
    /// every path.
    func withDedicatedConnection<T>(_ body: (RedisConnection) async throws -> T) async throws -> T {
        if let single = connection as? RedisConnection {
            return try await body(single)
        }
        guard let pool = connection as? any RedisPoolProtocol else {
            throw InvalidArgumentError(
                "pipelines and transactions need a RedisConnection or a pool, not \(Swift.type(of: connection))")
        }
        let leased = try await pool.acquire()
        do {
            let result = try await body(leased)
            pool.release(leased)
            return result
        } catch {
            pool.release(leased)
            throw error
        }
    }
}
