// Generic commands Redis added in 6.x/7.0, aioredis has none of them.
extension RedisCommands {
    /// EXPIRETIME: the Unix time in seconds at which the key expires; -1 when it has no expiry, -2 when it does
    /// not exist (Redis 7).
    public func expiretime(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("EXPIRETIME", [key], as: Int.self)
    }

    /// PEXPIRETIME: as `expiretime`, in milliseconds (Redis 7).
    public func pexpiretime(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("PEXPIRETIME", [key], as: Int.self)
    }

    /// SORT_RO: SORT without STORE, which a replica may run (Redis 7); nil where a GET pattern names a missing key.
    public func sortRO(
        _ key: some RedisKeyConvertible, by: String? = nil, limit: (offset: Int, count: Int)? = nil, get: [String] = [],
        order: RedisSortOrder? = nil, alpha: Bool = false, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[String?]> {
        let command = try sort(key, by: by, limit: limit, get: get, order: order, alpha: alpha, encoding: encoding)
        return renamed(command, "SORT_RO")
    }

    /// RESTORE-ASKING: RESTORE as a cluster sends it while migrating a slot (it is accepted on an importing slot).
    @discardableResult
    public func restoreAsking(_ key: some RedisKeyConvertible, ttl: Duration = .zero, value: some RedisArgument,
                              replace: Bool = false) throws -> RedisCommand<Bool> {
        renamed(try restore(key, ttl: ttl, value: value, replace: replace), "RESTORE-ASKING")
    }
}
