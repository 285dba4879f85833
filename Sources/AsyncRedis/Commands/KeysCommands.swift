/// Sort direction for SORT and the geo searches.
public enum RedisSortOrder: Sendable, Hashable {
    /// ASC or DESC.
    case ascending, descending

    var keyword: String { self == .ascending ? "ASC" : "DESC" }
}

// Generic (keys) commands, aioredis `GenericCommandsMixin`.
extension Redis {
    /// DEL: the number of keys removed.
    @discardableResult
    public func del(_ key: String, _ keys: String...) async throws -> Int {
        try await del([key] + keys)
    }

    /// DEL of a list of keys (none: 0, without asking the server).
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await send("DEL", keys, as: Int.self)
    }

    /// aioredis's name for DEL.
    @discardableResult
    public func delete(_ key: String, _ keys: String...) async throws -> Int {
        try await del([key] + keys)
    }

    /// DUMP: the serialized value, nil when the key does not exist.
    public func dump(_ key: String) async throws -> [UInt8]? {
        try await send("DUMP", [key], as: [UInt8]?.self)
    }

    /// RESTORE a value made by DUMP; `ttl` `.zero` for none (sent in milliseconds).
    @discardableResult
    public func restore(_ key: String, ttl: Duration = .zero, value: some RedisArgument, replace: Bool = false)
        async throws -> Bool
    {
        var arguments: [any RedisArgument] = [key, try Self.nonNegativeMilliseconds(ttl, "ttl"), value]
        if replace { arguments.append("REPLACE") }
        return try await sendOK("RESTORE", arguments)
    }

    /// EXISTS: how many of the keys exist (a key named twice counts twice).
    public func exists(_ key: String, _ keys: String...) async throws -> Int {
        try await exists([key] + keys)
    }

    /// EXISTS of a list of keys (none: 0, without asking the server).
    public func exists(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await send("EXISTS", keys, as: Int.self)
    }

    /// EXPIRE: true if the timeout was set. Whole seconds are sent as EXPIRE, anything finer as PEXPIRE (see
    /// TimeArguments.swift); zero or negative deletes the key, as on the server.
    @discardableResult
    public func expire(_ key: String, _ seconds: Duration) async throws -> Bool {
        let millis = Self.milliseconds(seconds)
        if millis % 1000 == 0 { return try await send("EXPIRE", [key, millis / 1000], as: Bool.self) }
        return try await pexpire(key, seconds)
    }

    /// EXPIREAT a Unix time in seconds.
    @discardableResult
    public func expireat(_ key: String, _ timestamp: Int) async throws -> Bool {
        try await send("EXPIREAT", [key, timestamp], as: Bool.self)
    }

    /// PEXPIRE: the timeout in milliseconds (rounded up).
    @discardableResult
    public func pexpire(_ key: String, _ milliseconds: Duration) async throws -> Bool {
        try await send("PEXPIRE", [key, Self.milliseconds(milliseconds)], as: Bool.self)
    }

    /// PEXPIREAT a Unix time in milliseconds.
    @discardableResult
    public func pexpireat(_ key: String, _ timestamp: Int) async throws -> Bool {
        try await send("PEXPIREAT", [key, timestamp], as: Bool.self)
    }

    /// KEYS matching a glob pattern.
    public func keys(_ pattern: String, encoding: RedisEncoding? = nil) async throws -> [String] {
        try await send("KEYS", [pattern], as: [String].self, encoding: encoding)
    }

    /// MOVE to another database: false if the key is missing or already there.
    @discardableResult
    public func move(_ key: String, db: Int) async throws -> Bool {
        guard db >= 0 else { throw InvalidArgumentError("db must be >= 0, got \(db)") }
        return try await send("MOVE", [key, db], as: Bool.self)
    }

    /// OBJECT ENCODING (`listpack`, `int`, `embstr`, ...), nil when the key does not exist.
    public func objectEncoding(_ key: String) async throws -> String? {
        try await send("OBJECT", ["ENCODING", key], as: String?.self, encoding: .utf8)
    }

    /// OBJECT IDLETIME in seconds, nil when the key does not exist.
    public func objectIdletime(_ key: String) async throws -> Int? {
        try await send("OBJECT", ["IDLETIME", key], as: Int?.self)
    }

    /// OBJECT REFCOUNT, nil when the key does not exist.
    public func objectRefcount(_ key: String) async throws -> Int? {
        try await send("OBJECT", ["REFCOUNT", key], as: Int?.self)
    }

    /// OBJECT FREQ (needs an LFU maxmemory-policy, else the server answers an error).
    public func objectFreq(_ key: String) async throws -> Int? {
        try await send("OBJECT", ["FREQ", key], as: Int?.self)
    }

    /// PERSIST: true if a timeout was removed.
    @discardableResult
    public func persist(_ key: String) async throws -> Bool {
        try await send("PERSIST", [key], as: Bool.self)
    }

    /// TTL in seconds: -1 without timeout, -2 when the key does not exist (as Redis answers).
    public func ttl(_ key: String) async throws -> Int {
        try await send("TTL", [key], as: Int.self)
    }

    /// PTTL in milliseconds, with the same -1/-2 answers as TTL.
    public func pttl(_ key: String) async throws -> Int {
        try await send("PTTL", [key], as: Int.self)
    }

    /// RANDOMKEY, nil on an empty database.
    public func randomkey(encoding: RedisEncoding? = nil) async throws -> String? {
        try await send("RANDOMKEY", [], as: String?.self, encoding: encoding)
    }

    /// RENAME; throws `ReplyError` when the key does not exist.
    @discardableResult
    public func rename(_ key: String, _ newKey: String) async throws -> Bool {
        try await sendOK("RENAME", [key, newKey])
    }

    /// RENAMENX: false when `newKey` already exists.
    @discardableResult
    public func renamenx(_ key: String, _ newKey: String) async throws -> Bool {
        try await send("RENAMENX", [key, newKey], as: Bool.self)
    }

    /// One SCAN step: the next cursor (0 when done) and the keys of this step. `iscan` follows the cursor.
    public func scan(
        cursor: Int = 0, match: String? = nil, count: Int? = nil, type: String? = nil,
        encoding: RedisEncoding? = nil
    ) async throws -> (cursor: Int, keys: [String]) {
        let reply = try Self.scanReply(
            try await send("SCAN", [cursor] + Self.scanOptions(match: match, count: count, type: type)))
        return (reply.cursor, try [String](fromRESP: reply.items, encoding: textEncoding(encoding)))
    }

    /// SORT; elements are nil where a GET pattern names a missing key.
    public func sort(
        _ key: String, by: String? = nil, limit: (offset: Int, count: Int)? = nil, get: [String] = [],
        order: RedisSortOrder? = nil, alpha: Bool = false, encoding: RedisEncoding? = nil
    ) async throws -> [String?] {
        try await send(
            "SORT", Self.sortArguments(key, by: by, limit: limit, get: get, order: order, alpha: alpha, store: nil),
            as: [String?].self, encoding: encoding)
    }

    /// SORT ... STORE: the number of elements stored in `store`.
    @discardableResult
    public func sort(
        _ key: String, by: String? = nil, limit: (offset: Int, count: Int)? = nil, get: [String] = [],
        order: RedisSortOrder? = nil, alpha: Bool = false, store: String
    ) async throws -> Int {
        try await send(
            "SORT", Self.sortArguments(key, by: by, limit: limit, get: get, order: order, alpha: alpha, store: store),
            as: Int.self)
    }

    static func sortArguments(
        _ key: String, by: String?, limit: (offset: Int, count: Int)?, get: [String], order: RedisSortOrder?,
        alpha: Bool, store: String?
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

    /// TOUCH: how many of the keys exist.
    @discardableResult
    public func touch(_ key: String, _ keys: String...) async throws -> Int {
        try await send("TOUCH", [key] + keys, as: Int.self)
    }

    /// TYPE: `string`, `list`, `set`, `zset`, `hash`, `stream`, or `none`.
    public func type(_ key: String) async throws -> String {
        try await send("TYPE", [key], as: String.self, encoding: .utf8)
    }

    /// UNLINK (DEL that frees memory in the background): the number of keys removed.
    @discardableResult
    public func unlink(_ key: String, _ keys: String...) async throws -> Int {
        try await send("UNLINK", [key] + keys, as: Int.self)
    }

    /// WAIT for `replicas` to acknowledge the writes so far, at most `timeout` (`.zero`: forever).
    public func wait(replicas: Int, timeout: Duration) async throws -> Int {
        try await send("WAIT", [replicas, try Self.nonNegativeMilliseconds(timeout, "timeout")], as: Int.self)
    }

    /// COPY: false when `destination` exists and `replace` is false, or the source does not exist.
    @discardableResult
    public func copy(_ source: String, _ destination: String, db: Int? = nil, replace: Bool = false)
        async throws -> Bool
    {
        var arguments: [any RedisArgument] = [source, destination]
        if let db { arguments += ["DB", db] }
        if replace { arguments.append("REPLACE") }
        return try await send("COPY", arguments, as: Bool.self)
    }

    /// MIGRATE keys to another server: true when moved, false when none of the keys exist (`NOKEY`).
    /// `timeout` is sent in milliseconds. With several `keys`, `key` is ignored by Redis and sent as "".
    @discardableResult
    public func migrate(
        host: String, port: Int, key: String, destinationDB: Int, timeout: Duration, copy: Bool = false,
        replace: Bool = false, keys: [String] = [], username: String? = nil, password: String? = nil
    ) async throws -> Bool {
        let timeoutMilliseconds = try Self.nonNegativeMilliseconds(timeout, "timeout")
        guard keys.isEmpty || key.isEmpty else {
            throw InvalidArgumentError("give either key or keys to migrate, not both")
        }
        var arguments: [any RedisArgument] = [host, port, key, destinationDB, timeoutMilliseconds]
        if copy { arguments.append("COPY") }
        if replace { arguments.append("REPLACE") }
        if let password {
            arguments += username.map { ["AUTH2", $0, password] } ?? ["AUTH", password]
        }
        if !keys.isEmpty { arguments += ["KEYS"] + keys }
        let reply = try await send("MIGRATE", arguments)
        return reply.string() != "NOKEY"
    }
}
