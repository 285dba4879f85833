// Set commands, aioredis `SetCommandsMixin`. Members come back as `Set<String>` where Redis's reply is a set
// (order means nothing), as `[String]` where repeats or order can matter (SRANDMEMBER with a negative count).
extension RedisCommands {
    /// SADD: the number of members that were new.
    @discardableResult
    public func sadd(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: any RedisArgument...)
        throws -> RedisCommand<Int>
    {
        try saddListForm(key, member, members)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func saddListForm(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: [any RedisArgument])
        throws -> RedisCommand<Int>
    {
        try sadd(key, members: [member] + members)
    }

    /// SADD of a collection of members (`[String]`, `[Int]`, ...), in one command.
    @discardableResult
    public func sadd(_ key: some RedisKeyConvertible, members: [any RedisArgument]) throws -> RedisCommand<Int> {
        try send("SADD", [key] + (try Redis.nonEmpty(members, "sadd")), as: Int.self)
    }

    /// SCARD: the number of members.
    public func scard(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("SCARD", [key], as: Int.self)
    }

    /// SDIFF as text.
    public func sdiff(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<Set<String>>
    {
        try sdiffListForm(key, keys, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func sdiffListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible],
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<Set<String>>
    {
        try send("SDIFF", [key] + keys, as: Set<String>.self, encoding: encoding)
    }

    /// SDIFFSTORE: the size of the resulting set.
    @discardableResult
    public func sdiffstore(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try sdiffstoreListForm(destination, key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func sdiffstoreListForm(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("SDIFFSTORE", [destination, key] + keys, as: Int.self)
    }

    /// SINTER as text.
    public func sinter(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<Set<String>>
    {
        try sinterListForm(key, keys, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func sinterListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible],
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<Set<String>>
    {
        try send("SINTER", [key] + keys, as: Set<String>.self, encoding: encoding)
    }

    /// SINTERSTORE: stores the intersection; returns its size.
    @discardableResult
    public func sinterstore(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try sinterstoreListForm(destination, key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func sinterstoreListForm(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("SINTERSTORE", [destination, key] + keys, as: Int.self)
    }

    /// SINTERCARD: the size of the intersection, counting stops at `limit` (0: no limit).
    public func sintercard(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible..., limit: Int? = nil)
        throws -> RedisCommand<Int>
    {
        try sintercardListForm(key, keys, limit: limit)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func sintercardListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible], limit: Int? = nil)
        throws -> RedisCommand<Int>
    {
        var arguments: [any RedisArgument] = [keys.count + 1, key] + keys
        if let limit { arguments += ["LIMIT", limit] }
        return try send("SINTERCARD", arguments, as: Int.self)
    }

    /// SISMEMBER.
    public func sismember(_ key: some RedisKeyConvertible, _ member: some RedisArgument) throws -> RedisCommand<Bool> {
        try send("SISMEMBER", [key, member], as: Bool.self)
    }

    /// SMISMEMBER: one answer per member, in order.
    public func smismember(_ key: some RedisKeyConvertible, _ member: any RedisArgument,
            _ members: any RedisArgument...)
        throws -> RedisCommand<[Bool]>
    {
        try smismemberListForm(key, member, members)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func smismemberListForm(_ key: some RedisKeyConvertible, _ member: any RedisArgument,
            _ members: [any RedisArgument])
        throws -> RedisCommand<[Bool]>
    {
        try send("SMISMEMBER", [key, member] + members, as: [Bool].self)
    }

    /// SMEMBERS as text.
    public func smembers(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<Set<String>>
    {
        try send("SMEMBERS", [key], as: Set<String>.self, encoding: encoding)
    }

    /// SMEMBERS decoded as `T`, in the server's order.
    public func smembers<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, as type: T.Type)
        throws -> RedisCommand<[T]>
    {
        try send("SMEMBERS", [key], as: [T].self)
    }

    /// SMOVE: true when the member was moved.
    @discardableResult
    public func smove(_ source: some RedisKeyConvertible, _ destination: some RedisKeyConvertible,
            _ member: some RedisArgument)
        throws -> RedisCommand<Bool>
    {
        try send("SMOVE", [source, destination, member], as: Bool.self)
    }

    /// SPOP one member, nil when the set is empty.
    @discardableResult
    public func spop(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        try send("SPOP", [key], as: String?.self, encoding: encoding)
    }

    /// SPOP of up to `count` members, as text.
    @discardableResult
    public func spop(_ key: some RedisKeyConvertible, count: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("SPOP", [key, count], as: [String].self, encoding: encoding)
    }

    /// SRANDMEMBER as text.
    public func srandmember(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String?>
    {
        try send("SRANDMEMBER", [key], as: String?.self, encoding: encoding)
    }

    /// SRANDMEMBER with a count: distinct members when positive, possibly repeated when negative.
    public func srandmember(_ key: some RedisKeyConvertible, count: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("SRANDMEMBER", [key, count], as: [String].self, encoding: encoding)
    }

    /// SREM: removes members; returns how many were there.
    @discardableResult
    public func srem(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: any RedisArgument...)
        throws -> RedisCommand<Int>
    {
        try sremListForm(key, member, members)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func sremListForm(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: [any RedisArgument])
        throws -> RedisCommand<Int>
    {
        try srem(key, members: [member] + members)
    }

    /// SREM of a collection of members.
    @discardableResult
    public func srem(_ key: some RedisKeyConvertible, members: [any RedisArgument]) throws -> RedisCommand<Int> {
        try send("SREM", [key] + (try Redis.nonEmpty(members, "srem")), as: Int.self)
    }

    /// SUNION as text.
    public func sunion(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<Set<String>>
    {
        try sunionListForm(key, keys, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func sunionListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible],
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<Set<String>>
    {
        try send("SUNION", [key] + keys, as: Set<String>.self, encoding: encoding)
    }

    /// SUNIONSTORE: stores the union; returns its size.
    @discardableResult
    public func sunionstore(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try sunionstoreListForm(destination, key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func sunionstoreListForm(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("SUNIONSTORE", [destination, key] + keys, as: Int.self)
    }

    /// SSCAN, one step. `isscan` follows the cursor.
    public func sscan(
        _ key: some RedisKeyConvertible, cursor: Int = 0, match: String? = nil, count: Int? = nil,
            encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(cursor: Int, members: [String])> {
        try scanStep(send("SSCAN", [key, cursor] + Redis.scanOptions(match: match, count: count)),
            encoding).map { step, _ in
            (cursor: step.cursor, members: step.items)
        }
    }
}
