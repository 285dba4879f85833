// Hash commands, aioredis `HashCommandsMixin`.
extension RedisCommands {
    /// HDEL: the number of fields removed.
    @discardableResult
    public func hdel(_ key: some RedisKeyConvertible, _ field: String, _ fields: String...)
        throws -> RedisCommand<Int>
    {
        try hdelListForm(key, field, fields)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func hdelListForm(_ key: some RedisKeyConvertible, _ field: String, _ fields: [String])
        throws -> RedisCommand<Int>
    {
        try send("HDEL", [key, field] + fields, as: Int.self)
    }

    /// HEXISTS: whether the hash has the field.
    public func hexists(_ key: some RedisKeyConvertible, _ field: String) throws -> RedisCommand<Bool> {
        try send("HEXISTS", [key, field], as: Bool.self)
    }

    /// HGET as text; nil when the field or key is missing.
    public func hget(_ key: some RedisKeyConvertible, _ field: String, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String?>
    {
        try send("HGET", [key, field], as: String?.self, encoding: encoding)
    }

    /// HGET decoded as `T`.
    public func hget<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, _ field: String, as type: T.Type)
        throws -> RedisCommand<T?>
    {
        try send("HGET", [key, field], as: T?.self)
    }

    /// HGETALL as a dictionary (empty when the key does not exist).
    public func hgetall(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String: String]>
    {
        try send("HGETALL", [key], as: [String: String].self, encoding: encoding)
    }

    /// HGETALL with values decoded as `T`; field names are text.
    public func hgetall<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, as type: T.Type)
        throws -> RedisCommand<[String: T]>
    {
        try send("HGETALL", [key], as: [String: T].self)
    }

    /// HINCRBY: adds to an integer field; returns the new value.
    @discardableResult
    public func hincrby(_ key: some RedisKeyConvertible, _ field: String, _ increment: Int)
        throws -> RedisCommand<Int>
    {
        try send("HINCRBY", [key, field, increment], as: Int.self)
    }

    /// HINCRBYFLOAT: adds to a number field; returns the new value.
    @discardableResult
    public func hincrbyfloat(_ key: some RedisKeyConvertible, _ field: String, _ increment: Double)
        throws -> RedisCommand<Double>
    {
        try send("HINCRBYFLOAT", [key, field, increment], as: Double.self)
    }

    /// HKEYS: the field names.
    public func hkeys(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("HKEYS", [key], as: [String].self, encoding: encoding)
    }

    /// HLEN: the number of fields.
    public func hlen(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("HLEN", [key], as: Int.self)
    }

    /// HMGET: one value per field, nil where missing.
    public func hmget(_ key: some RedisKeyConvertible, _ field: String, _ fields: String...,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String?]>
    {
        try hmgetListForm(key, field, fields, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func hmgetListForm(_ key: some RedisKeyConvertible, _ field: String, _ fields: [String],
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String?]>
    {
        try send("HMGET", [key, field] + fields, as: [String?].self, encoding: encoding)
    }

    /// HMGET decoded as `T`, nil for each missing field (the command needs a field; `Redis.hmget` answers `[]`).
    // Redis method hand-written: it answers an empty list itself.
    public func hmget<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, fields: [String], as type: T.Type)
        throws -> RedisCommand<[T?]>
    {
        guard !fields.isEmpty else { throw InvalidArgumentError("HMGET needs at least one field") }
        return try send("HMGET", [key] + fields, as: [T?].self)
    }

    /// HMSET from field/value pairs (deprecated by Redis in favour of HSET, kept for aioredis's API).
    @discardableResult
    public func hmset(_ key: some RedisKeyConvertible, _ pair: (String, any RedisArgument), _ pairs: (String,
            any RedisArgument)...)
        throws -> RedisCommand<Bool>
    {
        try hmsetListForm(key, pair, pairs)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func hmsetListForm(_ key: some RedisKeyConvertible, _ pair: (String, any RedisArgument), _ pairs: [(String,
            any RedisArgument)])
        throws -> RedisCommand<Bool>
    {
        try sendOK("HMSET", [key] + Redis.flatten([pair] + pairs))
    }

    /// HMSET: sets several fields (HSET does the same since Redis 4).
    @discardableResult
    public func hmset(_ key: some RedisKeyConvertible, _ values: [String: some RedisArgument])
        throws -> RedisCommand<Bool>
    {
        guard !values.isEmpty else { throw InvalidArgumentError("hmset needs at least one field") }
        return try sendOK("HMSET", [key] + Redis.flatten(values.map { ($0.key, $0.value) }))
    }

    /// HRANDFIELD: one random field, nil when the key does not exist.
    public func hrandfield(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String?>
    {
        try send("HRANDFIELD", [key], as: String?.self, encoding: encoding)
    }

    /// HRANDFIELD with a count: distinct fields when positive, possibly repeated when negative.
    public func hrandfield(_ key: some RedisKeyConvertible, count: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("HRANDFIELD", [key, count], as: [String].self, encoding: encoding)
    }

    /// HRANDFIELD ... WITHVALUES.
    public func hrandfieldWithValues(_ key: some RedisKeyConvertible, count: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[(field: String, value: String)]>
    {
        return try send("HRANDFIELD", [key, count, "WITHVALUES"]).encoded(with: encoding).map { reply, textEncoding in
            return try Redis.decodePairs(reply, encoding: textEncoding, String.self, String.self)
                .map { (field: $0.0, value: $0.1) }
        }
    }

    /// HSET one field: 1 if the field is new, 0 if it was updated.
    @discardableResult
    public func hset(_ key: some RedisKeyConvertible, _ field: String, _ value: some RedisArgument)
        throws -> RedisCommand<Int>
    {
        try send("HSET", [key, field, value], as: Int.self)
    }

    /// HSET many fields: the number of new fields.
    @discardableResult
    public func hset(_ key: some RedisKeyConvertible, _ values: [String: some RedisArgument])
        throws -> RedisCommand<Int>
    {
        guard !values.isEmpty else { throw InvalidArgumentError("hset needs at least one field") }
        return try send("HSET", [key] + Redis.flatten(values.map { ($0.key, $0.value) }), as: Int.self)
    }

    /// HSETNX: true when the field was set (it did not exist).
    @discardableResult
    public func hsetnx(_ key: some RedisKeyConvertible, _ field: String, _ value: some RedisArgument)
        throws -> RedisCommand<Bool>
    {
        try send("HSETNX", [key, field, value], as: Bool.self)
    }

    /// HSTRLEN: the length of a field's value.
    public func hstrlen(_ key: some RedisKeyConvertible, _ field: String) throws -> RedisCommand<Int> {
        try send("HSTRLEN", [key, field], as: Int.self)
    }

    /// HVALS as text.
    public func hvals(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("HVALS", [key], as: [String].self, encoding: encoding)
    }

    /// HVALS decoded as `T`.
    public func hvals<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, as type: T.Type)
        throws -> RedisCommand<[T]>
    {
        try send("HVALS", [key], as: [T].self)
    }

    /// HSCAN, one step: the next cursor (0 when done) and (field, value) pairs. `ihscan` follows the cursor.
    public func hscan(
        _ key: some RedisKeyConvertible, cursor: Int = 0, match: String? = nil, count: Int? = nil,
            encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(cursor: Int, items: [(field: String, value: String)])> {
        try send("HSCAN", [key, cursor] + Redis.scanOptions(match: match, count: count)).encoded(with: encoding)
            .map { raw, text in
                let reply = try Redis.scanReply(raw)
                let items = try Redis.decodePairs(reply.items, encoding: text, String.self, String.self)
                return (reply.cursor, items.map { (field: $0.0, value: $0.1) })
            }
    }
}

extension Redis {
    /// HMGET decoded as `T`, nil for each missing field (none: `[]`, without asking the server).
    ///
    /// Redis `HMGET`: Get the values of all the given hash fields
    /// - Since: Redis 2.0.0
    /// - Complexity: O(N) where N is the number of fields being requested.
    public func hmget<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, fields: [String],
            as type: T.Type) async throws -> [T?] {
        fields.isEmpty ? [] : try await execute(RedisCommands().hmget(key, fields: fields, as: type))
    }
}
