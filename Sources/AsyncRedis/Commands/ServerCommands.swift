// Server commands, aioredis `ServerCommandsMixin`.
extension Redis {
    /// BGREWRITEAOF: true once the rewrite is started (or scheduled).
    @discardableResult
    public func bgrewriteaof() async throws -> Bool {
        try await sendOK("BGREWRITEAOF", [])
    }

    /// BGSAVE: true once the save is started (or scheduled).
    @discardableResult
    public func bgsave() async throws -> Bool {
        try await sendOK("BGSAVE", [])
    }

    /// CLIENT KILL by address (`ip:port`): true when a client was closed.
    @discardableResult
    public func clientKill(address: String) async throws -> Bool {
        try await sendOK("CLIENT", ["KILL", address])
    }

    /// CLIENT KILL with filters (ID, ADDR, USER, ...; `skipMe` is SKIPME): the number of clients closed.
    @discardableResult
    public func clientKill(id: Int? = nil, address: String? = nil, user: String? = nil, skipMe: Bool? = nil)
        async throws -> Int
    {
        var arguments: [any RedisArgument] = ["KILL"]
        if let id { arguments += ["ID", id] }
        if let address { arguments += ["ADDR", address] }
        if let user { arguments += ["USER", user] }
        if let skipMe { arguments += ["SKIPME", skipMe ? "yes" : "no"] }
        guard arguments.count > 1 else { throw InvalidArgumentError("clientKill needs at least one filter") }
        return try await send("CLIENT", arguments, as: Int.self)
    }

    /// CLIENT LIST, one dictionary (`id`, `addr`, `name`, `db`, ...) per client.
    public func clientList() async throws -> [[String: String]] {
        let text = try await send("CLIENT", ["LIST"], as: String.self, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map { Self.fields(String($0)) }
    }

    /// CLIENT INFO of this connection.
    public func clientInfo() async throws -> [String: String] {
        Self.fields(try await send("CLIENT", ["INFO"], as: String.self, encoding: .utf8))
    }

    /// `key=value key=value` (CLIENT LIST lines) or `key:value ...` (DEBUG OBJECT) as a dictionary.
    static func fields(_ line: String, separator: Character = "=") -> [String: String] {
        var result: [String: String] = [:]
        for item in line.split(separator: " ") {
            guard let equals = item.firstIndex(of: separator) else { continue }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    /// CLIENT GETNAME, nil when no name is set.
    public func clientGetname(encoding: RedisEncoding? = nil) async throws -> String? {
        try await send("CLIENT", ["GETNAME"], as: String?.self, encoding: encoding)
    }

    /// CLIENT SETNAME for this connection.
    @discardableResult
    public func clientSetname(_ name: String) async throws -> Bool {
        try await sendOK("CLIENT", ["SETNAME", name])
    }

    /// CLIENT PAUSE all clients for `timeout` (sent in milliseconds).
    @discardableResult
    public func clientPause(_ timeout: Duration) async throws -> Bool {
        try await sendOK("CLIENT", ["PAUSE", try Self.nonNegativeMilliseconds(timeout, "timeout")])
    }

    /// CLIENT ID of this connection.
    public func clientId() async throws -> Int {
        try await send("CLIENT", ["ID"], as: Int.self)
    }

    /// COMMAND COUNT.
    public func commandCount() async throws -> Int {
        try await send("COMMAND", ["COUNT"], as: Int.self)
    }

    /// COMMAND INFO: one raw description per name, nil for an unknown command.
    public func commandInfo(_ command: String, _ commands: String...) async throws -> [RESPValue?] {
        try await send("COMMAND", ["INFO", command] + commands, as: [RESPValue?].self)
    }

    /// COMMAND GETKEYS: the keys of a full command line.
    public func commandGetkeys(_ command: String, _ arguments: any RedisArgument..., encoding: RedisEncoding? = nil)
        async throws -> [String]
    {
        try await send("COMMAND", ["GETKEYS", command] + arguments, as: [String].self, encoding: encoding)
    }

    /// CONFIG GET (glob patterns allowed) as a dictionary.
    public func configGet(_ parameter: String = "*") async throws -> [String: String] {
        try await send("CONFIG", ["GET", parameter], as: [String: String].self, encoding: .utf8)
    }

    /// CONFIG SET of one parameter.
    @discardableResult
    public func configSet(_ parameter: String, _ value: some RedisArgument) async throws -> Bool {
        try await sendOK("CONFIG", ["SET", parameter, value])
    }

    /// CONFIG REWRITE; throws `ReplyError` when the server runs without a config file.
    @discardableResult
    public func configRewrite() async throws -> Bool {
        try await sendOK("CONFIG", ["REWRITE"])
    }

    /// CONFIG RESETSTAT.
    @discardableResult
    public func configResetstat() async throws -> Bool {
        try await sendOK("CONFIG", ["RESETSTAT"])
    }

    /// DBSIZE: the number of keys in the database.
    public func dbsize() async throws -> Int {
        try await send("DBSIZE", [], as: Int.self)
    }

    /// DEBUG OBJECT: `at`, `refcount`, `encoding`, `serializedlength`, `lru`, ... (needs enable-debug-command).
    public func debugObject(_ key: String) async throws -> [String: String] {
        // The reply is `Value at:0x... refcount:1 encoding:embstr ...`.
        let text = try await send("DEBUG", ["OBJECT", key], as: String.self, encoding: .utf8)
        return Self.fields(text, separator: ":")
    }

    /// DEBUG SLEEP: blocks the whole server for `seconds` (sent as fractional seconds; needs
    /// enable-debug-command).
    @discardableResult
    public func debugSleep(_ seconds: Duration) async throws -> Bool {
        try await sendOK("DEBUG", ["SLEEP", try Self.timeoutSeconds(seconds, "seconds")])
    }

    /// FLUSHALL: removes every key of every database; `async` frees memory in the background.
    @discardableResult
    public func flushall(async: Bool = false) async throws -> Bool {
        try await sendOK("FLUSHALL", async ? ["ASYNC"] : [])
    }

    /// FLUSHDB: removes every key of the selected database.
    @discardableResult
    public func flushdb(async: Bool = false) async throws -> Bool {
        try await sendOK("FLUSHDB", async ? ["ASYNC"] : [])
    }

    /// INFO parsed into sections (lowercased, as aioredis does: `server`, `clients`, `keyspace`, ...) of
    /// key → value. Values stay text (`db0` is `keys=1,expires=0,avg_ttl=0`).
    public func info(_ section: String? = nil) async throws -> [String: [String: String]] {
        let text = try await send("INFO", section.map { [$0] } ?? [], as: String.self, encoding: .utf8)
        return Self.parseInfo(text)
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

    /// LASTSAVE: the Unix time of the last successful save.
    public func lastsave() async throws -> Int {
        try await send("LASTSAVE", [], as: Int.self)
    }

    /// ROLE, raw: `["master", offset, [replicas...]]`, `["slave", host, port, state, offset]`, ...
    public func role() async throws -> [RESPValue] {
        try await send("ROLE", [], as: [RESPValue].self)
    }

    /// SAVE (blocks the server while it writes the dump).
    @discardableResult
    public func save() async throws -> Bool {
        try await sendOK("SAVE", [])
    }

    /// SLOWLOG GET: raw entries `[id, time, duration, [args...], client, name]`.
    public func slowlogGet(_ count: Int? = nil) async throws -> [RESPValue] {
        try await send("SLOWLOG", ["GET"] + (count.map { [$0] } ?? []), as: [RESPValue].self)
    }

    /// SLOWLOG LEN.
    public func slowlogLen() async throws -> Int {
        try await send("SLOWLOG", ["LEN"], as: Int.self)
    }

    /// SLOWLOG RESET.
    @discardableResult
    public func slowlogReset() async throws -> Bool {
        try await sendOK("SLOWLOG", ["RESET"])
    }

    /// TIME as seconds since the Unix epoch, with microseconds in the fraction (aioredis returns a float).
    public func time() async throws -> Double {
        let parts = try await send("TIME", [], as: [Int].self)
        guard parts.count == 2 else { throw UnexpectedReplyError("TIME answered \(parts)") }
        return Double(parts[0]) + Double(parts[1]) / 1_000_000
    }

    /// MEMORY USAGE in bytes, nil when the key does not exist.
    public func memoryUsage(_ key: String, samples: Int? = nil) async throws -> Int? {
        try await send("MEMORY", ["USAGE", key] + (samples.map { ["SAMPLES", $0] } ?? []), as: Int?.self)
    }

    /// SWAPDB: exchanges two databases for every client.
    @discardableResult
    public func swapdb(_ first: Int, _ second: Int) async throws -> Bool {
        try await sendOK("SWAPDB", [first, second])
    }

    /// LOLWUT: the server's art and version line.
    public func lolwut(version: Int? = nil) async throws -> String {
        try await send("LOLWUT", version.map { ["VERSION", $0] } ?? [], as: String.self, encoding: .utf8)
    }
}
