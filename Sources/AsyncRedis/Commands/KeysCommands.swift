/// Sort direction for SORT and the geo searches.
public enum RedisSortOrder: Sendable, Hashable {
    /// ASC or DESC.
    case ascending, descending

    var keyword: String { self == .ascending ? "ASC" : "DESC" }
}

// Generic (keys) commands, aioredis `GenericCommandsMixin`.
extension RedisCommands {
    /// DEL: the number of keys removed.
    @discardableResult
    public func del(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...) throws -> RedisCommand<Int> {
        try delListForm(key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func delListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible]) throws -> RedisCommand<Int> {
        try del([key] + keys)
    }

    /// DEL of a list of keys; `Redis.del([])` answers 0 without asking the server, the command needs a key.
    // Redis method hand-written: it answers an empty list itself.
    @discardableResult
    public func del(_ keys: [any RedisKeyConvertible]) throws -> RedisCommand<Int> {
        guard !keys.isEmpty else { throw InvalidArgumentError("DEL needs at least one key") }
        return try send("DEL", keys, as: Int.self)
    }

    /// DEL under aioredis's name `delete`.
    @discardableResult
    public func delete(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try deleteListForm(key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func deleteListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try del([key] + keys)
    }

    /// DUMP: the serialized value, nil when the key does not exist.
    public func dump(_ key: some RedisKeyConvertible) throws -> RedisCommand<[UInt8]?> {
        try send("DUMP", [key], as: [UInt8]?.self)
    }

    /// RESTORE a value made by DUMP; `ttl` `.zero` for none (sent in milliseconds).
    @discardableResult
    public func restore(_ key: some RedisKeyConvertible, ttl: Duration = .zero, value: some RedisArgument,
            replace: Bool = false)
        throws -> RedisCommand<Bool>
    {
        var arguments: [any RedisArgument] = [key, try Redis.nonNegativeMilliseconds(ttl, "ttl"), value]
        if replace { arguments.append("REPLACE") }
        return try sendOK("RESTORE", arguments)
    }

    /// EXISTS: how many of the keys exist (a key named twice counts twice).
    public func exists(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try existsListForm(key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func existsListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try exists([key] + keys)
    }

    /// EXISTS of a list of keys; `Redis.exists([])` answers 0 without asking the server, the command needs a key.
    // Redis method hand-written: it answers an empty list itself.
    public func exists(_ keys: [any RedisKeyConvertible]) throws -> RedisCommand<Int> {
        guard !keys.isEmpty else { throw InvalidArgumentError("EXISTS needs at least one key") }
        return try send("EXISTS", keys, as: Int.self)
    }

    /// EXPIRE: true if the timeout was set. Whole seconds are sent as EXPIRE, anything finer as PEXPIRE (see
    /// TimeArguments.swift); zero or negative deletes the key, as on the server.
    @discardableResult
    public func expire(_ key: some RedisKeyConvertible, _ seconds: Duration) throws -> RedisCommand<Bool> {
        let millis = Redis.milliseconds(seconds)
        if millis % 1000 == 0 { return try send("EXPIRE", [key, millis / 1000], as: Bool.self) }
        return try pexpire(key, seconds)
    }

    /// EXPIREAT a Unix time in seconds.
    @discardableResult
    public func expireat(_ key: some RedisKeyConvertible, _ timestamp: Int) throws -> RedisCommand<Bool> {
        try send("EXPIREAT", [key, timestamp], as: Bool.self)
    }

    /// PEXPIRE: the timeout in milliseconds (rounded up).
    @discardableResult
    public func pexpire(_ key: some RedisKeyConvertible, _ milliseconds: Duration) throws -> RedisCommand<Bool> {
        try send("PEXPIRE", [key, Redis.milliseconds(milliseconds)], as: Bool.self)
    }

    /// PEXPIREAT a Unix time in milliseconds.
    @discardableResult
    public func pexpireat(_ key: some RedisKeyConvertible, _ timestamp: Int) throws -> RedisCommand<Bool> {
        try send("PEXPIREAT", [key, timestamp], as: Bool.self)
    }

    /// KEYS matching a glob pattern.
    public func keys(_ pattern: String, encoding: RedisEncoding? = nil) throws -> RedisCommand<[String]> {
        try send("KEYS", [pattern], as: [String].self, encoding: encoding)
    }

    /// MOVE to another database: false if the key is missing or already there.
    @discardableResult
    public func move(_ key: some RedisKeyConvertible, db: Int) throws -> RedisCommand<Bool> {
        guard db >= 0 else { throw InvalidArgumentError("db must be >= 0, got \(db)") }
        return try send("MOVE", [key, db], as: Bool.self)
    }

    /// OBJECT ENCODING (`listpack`, `int`, `embstr`, ...), nil when the key does not exist.
    public func objectEncoding(_ key: some RedisKeyConvertible) throws -> RedisCommand<String?> {
        try send("OBJECT", ["ENCODING", key], as: String?.self, encoding: .utf8)
    }

    /// OBJECT IDLETIME in seconds, nil when the key does not exist.
    public func objectIdletime(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int?> {
        try send("OBJECT", ["IDLETIME", key], as: Int?.self)
    }

    /// OBJECT REFCOUNT, nil when the key does not exist.
    public func objectRefcount(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int?> {
        try send("OBJECT", ["REFCOUNT", key], as: Int?.self)
    }

    /// OBJECT FREQ (needs an LFU maxmemory-policy, else the server answers an error).
    public func objectFreq(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int?> {
        try send("OBJECT", ["FREQ", key], as: Int?.self)
    }

    /// PERSIST: true if a timeout was removed.
    @discardableResult
    public func persist(_ key: some RedisKeyConvertible) throws -> RedisCommand<Bool> {
        try send("PERSIST", [key], as: Bool.self)
    }

    /// TTL in seconds: -1 without timeout, -2 when the key does not exist (as Redis answers).
    public func ttl(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("TTL", [key], as: Int.self)
    }

    /// PTTL in milliseconds, with the same -1/-2 answers as TTL.
    public func pttl(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("PTTL", [key], as: Int.self)
    }

    /// RANDOMKEY, nil on an empty database.
    public func randomkey(encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        try send("RANDOMKEY", [], as: String?.self, encoding: encoding)
    }

    /// RENAME; throws `ReplyError` when the key does not exist.
    @discardableResult
    public func rename(_ key: some RedisKeyConvertible, _ newKey: some RedisKeyConvertible)
        throws -> RedisCommand<Bool>
    {
        try sendOK("RENAME", [key, newKey])
    }

    /// RENAMENX: false when `newKey` already exists.
    @discardableResult
    public func renamenx(_ key: some RedisKeyConvertible, _ newKey: some RedisKeyConvertible)
        throws -> RedisCommand<Bool>
    {
        try send("RENAMENX", [key, newKey], as: Bool.self)
    }

    /// SCAN, one step: the next cursor (0 when done) and the keys of this step. `iscan` follows the cursor.
    public func scan(
        cursor: Int = 0, match: String? = nil, count: Int? = nil, type: String? = nil,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(cursor: Int, keys: [String])> {
        try scanStep(send("SCAN", [cursor] + Redis.scanOptions(match: match, count: count, type: type)),
            encoding).map { step, _ in
            (cursor: step.cursor, keys: step.items)
        }
    }

    /// SORT; elements are nil where a GET pattern names a missing key.
    public func sort(
        _ key: some RedisKeyConvertible, by: String? = nil, limit: (offset: Int, count: Int)? = nil, get: [String] = [],
        order: RedisSortOrder? = nil, alpha: Bool = false, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[String?]> {
        try send(
            "SORT", Redis.sortArguments(key, by: by, limit: limit, get: get, order: order, alpha: alpha, store: nil),
            as: [String?].self, encoding: encoding)
    }

    /// SORT ... STORE: the number of elements stored in `store`.
    @discardableResult
    public func sort(
        _ key: some RedisKeyConvertible, by: String? = nil, limit: (offset: Int, count: Int)? = nil, get: [String] = [],
        order: RedisSortOrder? = nil, alpha: Bool = false, store: some RedisKeyConvertible
    ) throws -> RedisCommand<Int> {
        try send(
            "SORT", Redis.sortArguments(key, by: by, limit: limit, get: get, order: order, alpha: alpha, store: store),
            as: Int.self)
    }

    /// TOUCH: how many of the keys exist.
    @discardableResult
    public func touch(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...) throws -> RedisCommand<Int> {
        try touchListForm(key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func touchListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible]) throws -> RedisCommand<Int> {
        try send("TOUCH", [key] + keys, as: Int.self)
    }

    /// TYPE: `string`, `list`, `set`, `zset`, `hash`, `stream`, or `none`.
    public func type(_ key: some RedisKeyConvertible) throws -> RedisCommand<String> {
        try send("TYPE", [key], as: String.self, encoding: .utf8)
    }

    /// UNLINK (DEL that frees memory in the background): the number of keys removed.
    @discardableResult
    public func unlink(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try unlinkListForm(key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func unlinkListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("UNLINK", [key] + keys, as: Int.self)
    }

    /// WAIT for `replicas` to acknowledge the writes so far, at most `timeout` (`.zero`: forever).
    public func wait(replicas: Int, timeout: Duration) throws -> RedisCommand<Int> {
        try send("WAIT", [replicas, try Redis.nonNegativeMilliseconds(timeout, "timeout")], as: Int.self)
    }

    /// COPY: false when `destination` exists and `replace` is false, or the source does not exist.
    @discardableResult
    public func copy(_ source: some RedisKeyConvertible, _ destination: some RedisKeyConvertible, db: Int? = nil,
            replace: Bool = false)
        throws -> RedisCommand<Bool>
    {
        var arguments: [any RedisArgument] = [source, destination]
        if let db { arguments += ["DB", db] }
        if replace { arguments.append("REPLACE") }
        return try send("COPY", arguments, as: Bool.self)
    }

    /// MIGRATE keys to another server: true when moved, false when none of the keys exist (`NOKEY`).
    /// `timeout` is sent in milliseconds. With several `keys`, `key` is ignored by Redis and sent as "".
    @discardableResult
    public func migrate(
        host: String, port: Int, key: some RedisKeyConvertible, destinationDB: Int, timeout: Duration,
            copy: Bool = false,
        replace: Bool = false, keys: [any RedisKeyConvertible] = [], username: String? = nil, password: String? = nil
    ) throws -> RedisCommand<Bool> {
        let timeoutMilliseconds = try Redis.nonNegativeMilliseconds(timeout, "timeout")
        guard keys.isEmpty || key.respPayloadCount == 0 else {
            throw InvalidArgumentError("give either key or keys to migrate, not both")
        }
        var arguments: [any RedisArgument] = [host, port, key, destinationDB, timeoutMilliseconds]
        if copy { arguments.append("COPY") }
        if replace { arguments.append("REPLACE") }
        if let password {
            arguments += username.map { ["AUTH2", $0, password] } ?? ["AUTH", password]
        }
        if !keys.isEmpty { arguments += ["KEYS"] + keys }
        return try send("MIGRATE", arguments).map { reply, _ in
            return reply.string() != "NOKEY"
        }
    }

    /// A SCAN-family command whose reply becomes the next cursor and the names found.
    func scanStep(_ command: RedisCommand<RESPValue>, _ encoding: RedisEncoding?)
        -> RedisCommand<(cursor: Int, items: [String])>
    {
        command.encoded(with: encoding).map { raw, text in
            let reply = try Redis.scanReply(raw)
            return (reply.cursor, try [String](fromRESP: reply.items, encoding: text))
        }
    }
}

extension Redis {

    static func sortArguments(
        _ key: any RedisKeyConvertible, by: String?, limit: (offset: Int, count: Int)?, get: [String],
        order: RedisSortOrder?, alpha: Bool, store: (any RedisKeyConvertible)?
    ) -> [any RedisArgument] {
        var arguments: [any RedisArgument] = [key]
        if let by { arguments += ["BY", by] }
        if let limit { arguments += ["LIMIT", limit.offset, limit.count] }
        for pattern in get { arguments += ["GET", pattern] }
        if let order { arguments.append(order.keyword) }
        if alpha { arguments.append("ALPHA") }
        if let store { arguments += ["STORE", store] }
        return arguments
    }
}

extension Redis {
    /// DEL of a list of keys (none: 0, without asking the server).
    ///
    /// Redis `DEL`: Delete a key
    /// - Since: Redis 1.0.0
    /// - Complexity: O(N) where N is the number of keys that will be removed. When a key to remove holds a value other
    ///   than a string, the individual complexity for this key is O(M) where M is the number of elements in the list,
    ///   set, sorted set or hash. Removing a single key that holds a string value is O(1).
    @discardableResult
    public func del(_ keys: [any RedisKeyConvertible]) async throws -> Int {
        keys.isEmpty ? 0 : try await execute(RedisCommands().del(keys))
    }

    /// EXISTS of a list of keys (none: 0, without asking the server).
    ///
    /// Redis `EXISTS`: Determine if a key exists
    /// - Since: Redis 1.0.0
    /// - Complexity: O(N) where N is the number of keys to check.
    public func exists(_ keys: [any RedisKeyConvertible]) async throws -> Int {
        keys.isEmpty ? 0 : try await execute(RedisCommands().exists(keys))
    }
}
