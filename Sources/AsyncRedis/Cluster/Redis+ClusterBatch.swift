extension Redis {
    /// Sends an explicit pipeline: on one connection (leased from a pool for the call), or split by node on a
    /// cluster (`RedisCluster.executeBatch`).
    func sendBatch(_ batch: [(command: String, arguments: [any RedisArgument])]) async throws
        -> [Result<RESPValue, ReplyError>]
    {
        if let cluster = connection as? RedisCluster {
            return try await cluster.executeBatch(batch)
        }
        return try await withBatchConnection { connection in
            try await connection.executeBatch(batch)
        }
    }
}
