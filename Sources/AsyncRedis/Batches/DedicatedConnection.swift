// Batches need every command on one connection: on a `RedisConnection` that is the connection itself (a batch
// is written in one go, so concurrent callers cannot interleave with it); on a pool a connection is leased for
// the duration of the call and given back afterwards (`RedisConnectionProtocol.withDedicatedConnection`); on a
// cluster, from the node serving the one slot the batch's keys hash to (`RedisCluster.withConnection(forCommands:)`).

extension Redis {
    /// Runs `body` on one `RedisConnection` no other caller uses meanwhile. A batch is written with
    /// `RedisConnection.executeBatch`, so a connection type of a user's own cannot carry one.
    func withBatchConnection<T>(
        routing commands: [(command: String, arguments: [any RedisArgument])] = [],
        _ body: (RedisConnection) async throws -> T
    ) async throws -> T {
        if let cluster = connection as? RedisCluster {
            return try await cluster.withConnection(forCommands: commands, body)
        }
        return try await connection.withDedicatedConnection { dedicated in
            guard let batchConnection = dedicated as? RedisConnection else {
                throw InvalidArgumentError(
                    "pipelines and transactions need a RedisConnection or a pool of them, not \(Swift.type(of: dedicated))")
            }
            return try await body(batchConnection)
        }
    }
}
