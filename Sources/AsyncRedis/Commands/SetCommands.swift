// Set commands, aioredis `SetCommandsMixin`. Members come back as `Set<String>` where Redis's reply is a set
// (order means nothing), as `[String]` where repeats or order can matter (SRANDMEMBER with a negative count).
extension Redis {
    /// SADD: the number of members that were new.
    @discardableResult
    public func sadd(_ key: String, _ member: any RedisArgument, _ members: any RedisArgument...) async throws -> Int {
        try await sadd(key, members: [member] + members)
    }

    /// SADD of a collection of members (`[String]`, `[Int]`, ...), in one command.
    @discardableResult
    public func sadd(_ key: String, members: [any RedisArgument]) async throws -> Int {
        try await send("SADD", [key] + (try Self.nonEmpty(members, "sadd")), as: Int.self)
    }

    /// SCARD: the number of members.
    public func scard(_ key: String) async throws -> Int {
        try await send("SCARD", [key], as: Int.self)
    }

    /// SDIFF as text.
    public func sdiff(_ key: String, _ keys: String..., encoding: RedisEncoding? = nil) async throws -> Set<String> {
        try await send("SDIFF", [key] + keys, as: Set<String>.self, encoding: encoding)
    }

    /// SDIFFSTORE: the size of the resulting set.
    @discardableResult
    public func sdiffstore(_ destination: String, _ key: String, _ keys: String...) async throws -> Int {
        try await send("SDIFFSTORE", [destination, key] + keys, as: Int.self)
    }

    /// SINTER as text.
    public func sinter(_ key: String, _ keys: String..., encoding: RedisEncoding? = nil) async throws -> Set<String> {
        try await send("SINTER", [key] + keys, as: Set<String>.self, encoding: encoding)
    }

    /// SINTERSTORE: stores the intersection; returns its size.
    @discardableResult
    public func sinterstore(_ destination: String, _ key: String, _ keys: String...) async throws -> Int {
        try await send("SINTERSTORE", [destination, key] + keys, as: Int.self)
    }

    /// SINTERCARD: the size of the intersection, counting stops at `limit` (0: no limit).
    public func sintercard(_ key: String, _ keys: String..., limit: Int? = nil) async throws -> Int {
        var arguments: [any RedisArgument] = [keys.count + 1, key] + keys
        if let limit { arguments += ["LIMIT", limit] }
        return try await send("SINTERCARD", arguments, as: Int.self)
    }

    /// SISMEMBER.
    public func sismember(_ key: String, _ member: some RedisArgument) async throws -> Bool {
        try await send("SISMEMBER", [key, member], as: Bool.self)
    }

    /// SMISMEMBER: one answer per member, in order.
    public func smismember(_ key: String, _ member: any RedisArgument, _ members: any RedisArgument...)
        async throws -> [Bool]
    {
        try await send("SMISMEMBER", [key, member] + members, as: [Bool].self)
    }

    /// SMEMBERS as text.
    public func smembers(_ key: String, encoding: RedisEncoding? = nil) async throws -> Set<String> {
        try await send("SMEMBERS", [key], as: Set<String>.self, encoding: encoding)
    }

    /// SMEMBERS decoded as `T`, in the server's order.
    public func smembers<T: RESPValueDecodable>(_ key: String, as type: T.Type) async throws -> [T] {
        try await send("SMEMBERS", [key], as: [T].self)
    }

    /// SMOVE: true when the member was moved.
    @discardableResult
    public func smove(_ source: String, _ destination: String, _ member: some RedisArgument) async throws -> Bool {
        try await send("SMOVE", [source, destination, member], as: Bool.self)
    }

    /// SPOP one member, nil when the set is empty.
    @discardableResult
    public func spop(_ key: String, encoding: RedisEncoding? = nil) async throws -> String? {
        try await send("SPOP", [key], as: String?.self, encoding: encoding)
    }

    /// SPOP of up to `count` members, as text.
    @discardableResult
    public func spop(_ key: String, count: Int, encoding: RedisEncoding? = nil) async throws -> [String] {
        try await send("SPOP", [key, count], as: [String].self, encoding: encoding)
    }

    /// SRANDMEMBER as text.
    public func srandmember(_ key: String, encoding: RedisEncoding? = nil) async throws -> String? {
        try await send("SRANDMEMBER", [key], as: String?.self, encoding: encoding)
    }

    /// SRANDMEMBER with a count: distinct members when positive, possibly repeated when negative.
    public func srandmember(_ key: String, count: Int, encoding: RedisEncoding? = nil) async throws -> [String] {
        try await send("SRANDMEMBER", [key, count], as: [String].self, encoding: encoding)
    }

    /// SREM: removes members; returns how many were there.
    @discardableResult
    public func srem(_ key: String, _ member: any RedisArgument, _ members: any RedisArgument...) async throws -> Int {
        try await srem(key, members: [member] + members)
    }

    /// SREM of a collection of members.
    @discardableResult
    public func srem(_ key: String, members: [any RedisArgument]) async throws -> Int {
        try await send("SREM", [key] + (try Self.nonEmpty(members, "srem")), as: Int.self)
    }

    /// SUNION as text.
    public func sunion(_ key: String, _ keys: String..., encoding: RedisEncoding? = nil) async throws -> Set<String> {
        try await send("SUNION", [key] + keys, as: Set<String>.self, encoding: encoding)
    }

    /// SUNIONSTORE: stores the union; returns its size.
    @discardableResult
    public func sunionstore(_ destination: String, _ key: String, _ keys: String...) async throws -> Int {
        try await send("SUNIONSTORE", [destination, key] + keys, as: Int.self)
    }

    /// One SSCAN step. `isscan` follows the cursor.
    public func sscan(
        _ key: String, cursor: Int = 0, match: String? = nil, count: Int? = nil, encoding: RedisEncoding? = nil
    ) async throws -> (cursor: Int, members: [String]) {
        let reply = try Self.scanReply(
            try await send("SSCAN", [key, cursor] + Self.scanOptions(match: match, count: count)))
        return (reply.cursor, try [String](fromRESP: reply.items, encoding: textEncoding(encoding)))
    }
}
