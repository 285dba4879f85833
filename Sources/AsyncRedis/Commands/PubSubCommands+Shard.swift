// PUBSUB's shard-channel introspection (Redis 7), the SSUBSCRIBE counterparts of CHANNELS and NUMSUB.
extension RedisCommands {
    /// PUBSUB SHARDCHANNELS: active shard channels, optionally matching a glob pattern (Redis 7).
    public func pubsubShardchannels(pattern: String? = nil) throws -> RedisCommand<[String]> {
        try send("PUBSUB", ["SHARDCHANNELS"] + (pattern.map { [$0] } ?? []), as: [String].self)
    }

    /// PUBSUB SHARDNUMSUB: subscriber counts per shard channel (Redis 7).
    public func pubsubShardnumsub(_ channels: [String]) throws -> RedisCommand<[String: Int]> {
        try send("PUBSUB", ["SHARDNUMSUB"] + channels, as: [String: Int].self)
    }
}
