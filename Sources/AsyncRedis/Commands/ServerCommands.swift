// Server commands, aioredis `ServerCommandsMixin`.
extension RedisCommands {
    /// BGREWRITEAOF: true once the rewrite is started (or scheduled).
    @discardableResult
    public func bgrewriteaof() throws -> RedisCommand<Bool> {
        try sendOK("BGREWRITEAOF", [])
    }

    /// BGSAVE: true once the save is started (or scheduled).
    @discardableResult
    public func bgsave() throws -> RedisCommand<Bool> {
        try sendOK("BGSAVE", [])
    }

    /// CLIENT KILL by address (`ip:port`): true when a client was closed.
    @discardableResult
    public func clientKill(address: String) throws -> RedisCommand<Bool> {
        try sendOK("CLIENT", ["KILL", address])
    }

    /// CLIENT KILL with filters (ID, ADDR, USER, ...; `skipMe` is SKIPME): the number of clients closed.
    @discardableResult
    public func clientKill(id: Int? = nil, address: String? = nil, user: String? = nil, skipMe: Bool? = nil)
        throws -> RedisCommand<Int>
    {
        var arguments: [any RedisArgument] = ["KILL"]
        if let id { arguments += ["ID", id] }
        if let address { arguments += ["ADDR", address] }
        if let user { arguments += ["USER", user] }
        if let skipMe { arguments += ["SKIPME", skipMe ? "yes" : "no"] }
        guard arguments.count > 1 else { throw InvalidArgumentError("clientKill needs at least one filter") }
        return try send("CLIENT", arguments, as: Int.self)
    }

    /// CLIENT LIST, one dictionary (`id`, `addr`, `name`, `db`, ...) per client.
    public func clientList() throws -> RedisCommand<[[String: String]]> {
        return try send("CLIENT", ["LIST"], as: String.self, encoding: .utf8).map { text, _ in
            return text.split(whereSeparator: \.isNewline).map { Redis.fields(String($0)) }
        }
    }

    /// CLIENT INFO of this connection.
    public func clientInfo() throws -> RedisCommand<[String: String]> {
        try send("CLIENT", ["INFO"], as: String.self, encoding: .utf8).map { text, _ in Redis.fields(text) }
    }

    /// CLIENT GETNAME, nil when no name is set.
    public func clientGetname(encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        try send("CLIENT", ["GETNAME"], as: String?.self, encoding: encoding)
    }

    /// CLIENT SETNAME for this connection.
    @discardableResult
    public func clientSetname(_ name: String) throws -> RedisCommand<Bool> {
        try sendOK("CLIENT", ["SETNAME", name])
    }

    /// CLIENT PAUSE all clients for `timeout` (sent in milliseconds).
    @discardableResult
    public func clientPause(_ timeout: Duration) throws -> RedisCommand<Bool> {
        try sendOK("CLIENT", ["PAUSE", try Redis.nonNegativeMilliseconds(timeout, "timeout")])
    }

    /// CLIENT ID of this connection.
    public func clientId() throws -> RedisCommand<Int> {
        try send("CLIENT", ["ID"], as: Int.self)
    }

    /// COMMAND COUNT.
    public func commandCount() throws -> RedisCommand<Int> {
        try send("COMMAND", ["COUNT"], as: Int.self)
    }

    /// COMMAND INFO: one raw description per name, nil for an unknown command.
    public func commandInfo(_ command: String, _ commands: String...) throws -> RedisCommand<[RESPValue?]> {
        try commandInfoListForm(command, commands)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func commandInfoListForm(_ command: String, _ commands: [String]) throws -> RedisCommand<[RESPValue?]> {
        try send("COMMAND", ["INFO", command] + commands, as: [RESPValue?].self)
    }

    /// COMMAND GETKEYS: the keys of a full command line.
    public func commandGetkeys(_ command: String, _ arguments: any RedisArgument..., encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try commandGetkeysListForm(command, arguments, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func commandGetkeysListForm(_ command: String, _ arguments: [any RedisArgument], encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("COMMAND", ["GETKEYS", command] + arguments, as: [String].self, encoding: encoding)
    }

    /// CONFIG GET (glob patterns allowed) as a dictionary.
    public func configGet(_ parameter: String = "*") throws -> RedisCommand<[String: String]> {
        try send("CONFIG", ["GET", parameter], as: [String: String].self, encoding: .utf8)
    }

    /// CONFIG SET of one parameter.
    @discardableResult
    public func configSet(_ parameter: String, _ value: some RedisArgument) throws -> RedisCommand<Bool> {
        try sendOK("CONFIG", ["SET", parameter, value])
    }

    /// CONFIG REWRITE; throws `ReplyError` when the server runs without a config file.
    @discardableResult
    public func configRewrite() throws -> RedisCommand<Bool> {
        try sendOK("CONFIG", ["REWRITE"])
    }

    /// CONFIG RESETSTAT.
    @discardableResult
    public func configResetstat() throws -> RedisCommand<Bool> {
        try sendOK("CONFIG", ["RESETSTAT"])
    }

    /// DBSIZE: the number of keys in the database.
    public func dbsize() throws -> RedisCommand<Int> {
        try send("DBSIZE", [], as: Int.self)
    }

    /// DEBUG OBJECT: `at`, `refcount`, `encoding`, `serializedlength`, `lru`, ... (needs enable-debug-command).
    public func debugObject(_ key: some RedisKeyConvertible) throws -> RedisCommand<[String: String]> {
        // The reply is `Value at:0x... refcount:1 encoding:embstr ...`.
        return try send("DEBUG", ["OBJECT", key], as: String.self, encoding: .utf8).map { text, _ in
            return Redis.fields(text, separator: ":")
        }
    }

    /// DEBUG SLEEP: blocks the whole server for `seconds` (sent as fractional seconds; needs
    /// enable-debug-command).
    @discardableResult
    public func debugSleep(_ seconds: Duration) throws -> RedisCommand<Bool> {
        try sendOK("DEBUG", ["SLEEP", try Redis.timeoutSeconds(seconds, "seconds")])
    }

    /// FLUSHALL: removes every key of every database; `async` frees memory in the background.
    @discardableResult
    public func flushall(async: Bool = false) throws -> RedisCommand<Bool> {
        try sendOK("FLUSHALL", async ? ["ASYNC"] : [])
    }

    /// FLUSHDB: removes every key of the selected database.
    @discardableResult
    public func flushdb(async: Bool = false) throws -> RedisCommand<Bool> {
        try sendOK("FLUSHDB", async ? ["ASYNC"] : [])
    }

    /// INFO parsed into sections (lowercased, as aioredis does: `server`, `clients`, `keyspace`, ...) of
    /// key → value. Values stay text (`db0` is `keys=1,expires=0,avg_ttl=0`).
    public func info(_ section: String? = nil) throws -> RedisCommand<[String: [String: String]]> {
        return try send("INFO", section.map { [$0] } ?? [], as: String.self, encoding: .utf8).map { text, _ in
            return Redis.parseInfo(text)
        }
    }

    /// LASTSAVE: the Unix time of the last successful save.
    public func lastsave() throws -> RedisCommand<Int> {
        try send("LASTSAVE", [], as: Int.self)
    }

    /// ROLE, raw: `["master", offset, [replicas...]]`, `["slave", host, port, state, offset]`, ...
    public func role() throws -> RedisCommand<[RESPValue]> {
        try send("ROLE", [], as: [RESPValue].self)
    }

    /// SAVE (blocks the server while it writes the dump).
    @discardableResult
    public func save() throws -> RedisCommand<Bool> {
        try sendOK("SAVE", [])
    }

    /// SLOWLOG GET: raw entries `[id, time, duration, [args...], client, name]`.
    public func slowlogGet(_ count: Int? = nil) throws -> RedisCommand<[RESPValue]> {
        try send("SLOWLOG", ["GET"] + (count.map { [$0] } ?? []), as: [RESPValue].self)
    }

    /// SLOWLOG LEN.
    public func slowlogLen() throws -> RedisCommand<Int> {
        try send("SLOWLOG", ["LEN"], as: Int.self)
    }

    /// SLOWLOG RESET.
    @discardableResult
    public func slowlogReset() throws -> RedisCommand<Bool> {
        try sendOK("SLOWLOG", ["RESET"])
    }

    /// TIME as seconds since the Unix epoch, with microseconds in the fraction (aioredis returns a float).
    public func time() throws -> RedisCommand<Double> {
        return try send("TIME", [], as: [Int].self).map { parts, _ in
            guard parts.count == 2 else { throw UnexpectedReplyError("TIME answered \(parts)") }
            return Double(parts[0]) + Double(parts[1]) / 1_000_000
        }
    }

    /// MEMORY USAGE in bytes, nil when the key does not exist.
    public func memoryUsage(_ key: some RedisKeyConvertible, samples: Int? = nil) throws -> RedisCommand<Int?> {
        try send("MEMORY", ["USAGE", key] + (samples.map { ["SAMPLES", $0] } ?? []), as: Int?.self)
    }

    /// SWAPDB: exchanges two databases for every client.
    @discardableResult
    public func swapdb(_ first: Int, _ second: Int) throws -> RedisCommand<Bool> {
        try sendOK("SWAPDB", [first, second])
    }

    /// LOLWUT: the server's art and version line.
    public func lolwut(version: Int? = nil) throws -> RedisCommand<String> {
        try send("LOLWUT", version.map { ["VERSION", $0] } ?? [], as: String.self, encoding: .utf8)
    }
}

extension Redis {

    /// `key=value key=value` (CLIENT LIST lines) or `key:value ...` (DEBUG OBJECT) as a dictionary.
    static func fields(_ line: String, separator: Character = "=") -> [String: String] {
        var result: [String: String] = [:]
        for item in line.split(separator: " ") {
            guard let equals = item.firstIndex(of: separator) else { continue }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    static func parseInfo(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current = "default"
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingPrefix(while: \.isWhitespace)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                current = line.dropFirst().trimmingPrefix(while: \.isWhitespace).lowercased()
                sections[current, default: [:]] = sections[current] ?? [:]
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            sections[current, default: [:]][String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return sections
    }
}
