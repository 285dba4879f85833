/// ACL GETUSER: a user's rules as the server reports them.
public struct RedisACLUser: Sendable, Hashable {
    /// `on`/`off`, `nopass`, `allkeys`, `allchannels`, `allcommands`, `skip-sanitize-payload`, ...
    public var flags: [String]
    /// The SHA-256 hashes of the user's passwords (never the passwords).
    public var passwords: [String]
    /// The command rules, e.g. `+@all -debug`.
    public var commands: String
    /// The key patterns, as the server lists them (Redis 7: `~pattern`, `%R~pattern`; Redis 6.2: bare patterns).
    public var keys: [String]
    /// The Pub/Sub channel patterns, as the server lists them (Redis 7: `&pattern`; Redis 6.2: bare patterns).
    public var channels: [String]
    /// The selectors (Redis 7), each the fields the server reports for it (`commands`, `keys`, `channels`).
    public var selectors: [[String: String]]

    init(_ fields: [String: RESPValue]) throws {
        func field(_ name: String) throws -> RESPValue {
            guard let value = fields[name] else { throw UnexpectedReplyError("ACL GETUSER: no \(name) field") }
            return value
        }
        flags = try [String](fromRESP: try field("flags"), encoding: .utf8)
        passwords = try [String](fromRESP: try field("passwords"), encoding: .utf8)
        commands = try String(fromRESP: try field("commands"), encoding: .utf8)
        keys = try Self.patterns(try field("keys"))
        channels = try Self.patterns(fields["channels"] ?? .array([]))
        selectors = try (fields["selectors"].map { try Redis.items($0) } ?? []).map { selector in
            try [String: RESPValue](fromRESP: selector, encoding: .utf8).mapValues {
                try Self.patterns($0).joined(separator: " ")
            }
        }
    }

    /// Redis 7 answers one space-separated string, Redis 6.2 a list.
    private static func patterns(_ value: RESPValue) throws -> [String] {
        if let list = try? [String](fromRESP: value, encoding: .utf8) { return list }
        return try String(fromRESP: value, encoding: .utf8).split(separator: " ").map(String.init)
    }
}

/// One entry of ACL LOG: a command or authentication the ACL rules refused.
public struct RedisACLLogEntry: Sendable, Hashable {
    /// How many times this same refusal happened (the server folds repeats within 60 seconds).
    public var count: Int
    /// `command`, `key`, `channel` or `auth`.
    public var reason: String
    /// `toplevel`, `multi`, `lua` or `module`.
    public var context: String
    /// The command, key or channel refused (for `auth`, `AUTH`).
    public var object: String
    /// The user the refusal was for.
    public var username: String
    /// Seconds since the last occurrence.
    public var ageSeconds: Double
    /// The refused client, as CLIENT LIST describes it (`id`, `addr`, `name`, ...).
    public var clientInfo: [String: String]

    init(_ fields: [String: RESPValue]) throws {
        func text(_ name: String) throws -> String {
            guard let value = fields[name] else { throw UnexpectedReplyError("ACL LOG: no \(name) field") }
            return try String(fromRESP: value, encoding: .utf8)
        }
        count = Int(try text("count")) ?? 0
        reason = try text("reason")
        context = try text("context")
        object = try text("object")
        username = try text("username")
        ageSeconds = Double(try text("age-seconds")) ?? 0
        clientInfo = Redis.fields(try text("client-info"))
    }
}
