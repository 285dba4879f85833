// Hash commands, aioredis `HashCommandsMixin`.
extension Redis {
    /// HDEL: the number of fields removed.
    @discardableResult
    public func hdel(_ key: String, _ field: String, _ fields: String...) async throws -> Int {
        try await send("HDEL", [key, field] + fields, as: Int.self)
    }

    /// HEXISTS: whether the hash has the field.
    public func hexists(_ key: String, _ field: String) async throws -> Bool {
        try await send("HEXISTS", [key, field], as: Bool.self)
    }

    /// HGET as text; nil when the field or key is missing.
    public func hget(_ key: String, _ field: String, encoding: RedisEncoding? = nil) async throws -> String? {
        try await send("HGET", [key, field], as: String?.self, encoding: encoding)
    }

    /// HGET decoded as `T`.
    public func hget<T: RESPValueDecodable>(_ key: String, _ field: String, as type: T.Type) async throws -> T? {
        try await send("HGET", [key, field], as: T?.self)
    }

    /// HGETALL as a dictionary (empty when the key does not exist).
    public func hgetall(_ key: String, encoding: RedisEncoding? = nil) async throws -> [String: String] {
        try await send("HGETALL", [key], as: [String: String].self, encoding: encoding)
    }

    /// HGETALL with values decoded as `T`; field names are text.
    public func hgetall<T: RESPValueDecodable>(_ key: String, as type: T.Type) async throws -> [String: T] {
        try await send("HGETALL", [key], as: [String: T].self)
    }

    /// HINCRBY: adds to an integer field; returns the new value.
    @discardableResult
    public func hincrby(_ key: String, _ field: String, _ increment: Int) async throws -> Int {
        try await send("HINCRBY", [key, field, increment], as: Int.self)
    }

    /// HINCRBYFLOAT: adds to a number field; returns the new value.
    @discardableResult
    public func hincrbyfloat(_ key: String, _ field: String, _ increment: Double) async throws -> Double {
        try await send("HINCRBYFLOAT", [key, field, increment], as: Double.self)
    }

    /// HKEYS: the field names.
    public func hkeys(_ key: String, encoding: RedisEncoding? = nil) async throws -> [String] {
        try await send("HKEYS", [key], as: [String].self, encoding: encoding)
    }

    /// HLEN: the number of fields.
    public func hlen(_ key: String) async throws -> Int {
        try await send("HLEN", [key], as: Int.self)
    }

    /// HMGET: one value per field, nil where missing.
    public func hmget(_ key: String, _ field: String, _ fields: String..., encoding: RedisEncoding? = nil)
        async throws -> [String?]
    {
        try await send("HMGET", [key, field] + fields, as: [String?].self, encoding: encoding)
    }

    /// HMGET decoded as `T`, nil for each missing field.
    public func hmget<T: RESPValueDecodable>(_ key: String, fields: [String], as type: T.Type) async throws -> [T?] {
        guard !fields.isEmpty else { return [] }
        return try await send("HMGET", [key] + fields, as: [T?].self)
    }

    /// HMSET from field/value pairs (deprecated by Redis in favour of HSET, kept for aioredis's API).
    @discardableResult
    public func hmset(_ key: String, _ pair: (String, any RedisArgument), _ pairs: (String, any RedisArgument)...)
        async throws -> Bool
    {
        try await sendOK("HMSET", [key] + Self.flatten([pair] + pairs))
    }

    /// HMSET: sets several fields (HSET does the same since Redis 4).
    @discardableResult
    public func hmset(_ key: String, _ values: [String: some RedisArgument]) async throws -> Bool {
        guard !values.isEmpty else { throw InvalidArgumentError("hmset needs at least one field") }
        return try await sendOK("HMSET", [key] + Self.flatten(values.map { ($0.key, $0.value) }))
    }

    /// HRANDFIELD: one random field, nil when the key does not exist.
    public func hrandfield(_ key: String, encoding: RedisEncoding? = nil) async throws -> String? {
        try await send("HRANDFIELD", [key], as: String?.self, encoding: encoding)
    }

    /// HRANDFIELD with a count: distinct fields when positive, possibly repeated when negative.
    public func hrandfield(_ key: String, count: Int, encoding: RedisEncoding? = nil) async throws -> [String] {
        try await send("HRANDFIELD", [key, count], as: [String].self, encoding: encoding)
    }

    /// HRANDFIELD ... WITHVALUES.
    public func hrandfieldWithValues(_ key: String, count: Int, encoding: RedisEncoding? = nil)
        async throws -> [(field: String, value: String)]
    {
        let reply = try await send("HRANDFIELD", [key, count, "WITHVALUES"])
        return try Self.decodePairs(reply, encoding: textEncoding(encoding), String.self, String.self)
            .map { (field: $0.0, value: $0.1) }
    }

    /// HSET one field: 1 if the field is new, 0 if it was updated.
    @discardableResult
    public func hset(_ key: String, _ field: String, _ value: some RedisArgument) async throws -> Int {
        try await send("HSET", [key, field, value], as: Int.self)
    }

    /// HSET many fields: the number of new fields.
    @discardableResult
    public func hset(_ key: String, _ values: [String: some RedisArgument]) async throws -> Int {
        guard !values.isEmpty else { throw InvalidArgumentError("hset needs at least one field") }
        return try await send("HSET", [key] + Self.flatten(values.map { ($0.key, $0.value) }), as: Int.self)
    }

    /// HSETNX: true when the field was set (it did not exist).
    @discardableResult
    public func hsetnx(_ key: String, _ field: String, _ value: some RedisArgument) async throws -> Bool {
        try await send("HSETNX", [key, field, value], as: Bool.self)
    }

    /// HSTRLEN: the length of a field's value.
    public func hstrlen(_ key: String, _ field: String) async throws -> Int {
        try await send("HSTRLEN", [key, field], as: Int.self)
    }

    /// HVALS as text.
    public func hvals(_ key: String, encoding: RedisEncoding? = nil) async throws -> [String] {
        try await send("HVALS", [key], as: [String].self, encoding: encoding)
    }

    /// HVALS decoded as `T`.
    public func hvals<T: RESPValueDecodable>(_ key: String, as type: T.Type) async throws -> [T] {
        try await send("HVALS", [key], as: [T].self)
    }

    /// One HSCAN step: the next cursor (0 when done) and (field, value) pairs. `ihscan` follows the cursor.
    public func hscan(
        _ key: String, cursor: Int = 0, match: String? = nil, count: Int? = nil, encoding: RedisEncoding? = nil
    ) async throws -> (cursor: Int, items: [(field: String, value: String)]) {
        let reply = try Self.scanReply(
            try await send("HSCAN", [key, cursor] + Self.scanOptions(match: match, count: count)))
        let items = try Self.decodePairs(reply.items, encoding: textEncoding(encoding), String.self, String.self)
        return (reply.cursor, items.map { (field: $0.0, value: $0.1) })
    }
}
