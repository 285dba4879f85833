// ACL commands (Redis 6): users, their rules and the log of refusals. aioredis 1.x has none of them.
extension RedisCommands {
    /// ACL CAT: the ACL categories, or the commands in `category`.
    public func aclCat(_ category: String? = nil) throws -> RedisCommand<[String]> {
        try send("ACL", ["CAT"] + (category.map { [$0] } ?? []), as: [String].self, encoding: .utf8)
    }

    /// ACL DELUSER: removes users (and closes their connections); the number removed.
    @discardableResult
    public func aclDelUser(_ usernames: [String]) throws -> RedisCommand<Int> {
        guard !usernames.isEmpty else { throw InvalidArgumentError("aclDelUser needs at least one user name") }
        return try send("ACL", ["DELUSER"] + usernames, as: Int.self)
    }

    /// ACL DRYRUN: nil when `username` may run `command` with `arguments`, else the server's reason why not
    /// (Redis 7).
    public func aclDryRun(_ username: String, _ command: String, _ arguments: [any RedisArgument] = [])
        throws -> RedisCommand<String?>
    {
        try send("ACL", ["DRYRUN", username, command] + arguments).map { reply, text in
            if case .simpleString = reply { return nil }
            return try String(fromRESP: reply, encoding: text)
        }
    }

    /// ACL GENPASS: a random password from the server's CSPRNG, as hex; `bits` of randomness (default 256).
    public func aclGenPass(bits: Int? = nil) throws -> RedisCommand<String> {
        try send("ACL", ["GENPASS"] + (bits.map { [$0] } ?? []), as: String.self, encoding: .utf8)
    }

    /// ACL GETUSER: a user's rules, nil when there is no such user.
    public func aclGetUser(_ username: String) throws -> RedisCommand<RedisACLUser?> {
        try send("ACL", ["GETUSER", username], as: [String: RESPValue]?.self, encoding: .utf8).map { fields, _ in
            try fields.map(RedisACLUser.init)
        }
    }

    /// ACL LIST: every user's rules, one line each, as an ACL file would hold them.
    public func aclList() throws -> RedisCommand<[String]> {
        try send("ACL", ["LIST"], as: [String].self, encoding: .utf8)
    }

    /// ACL LOAD: reloads the users from the server's ACL file (an error when it has none or it is invalid).
    @discardableResult
    public func aclLoad() throws -> RedisCommand<Bool> {
        try sendOK("ACL", ["LOAD"])
    }

    /// ACL SAVE: writes the users to the server's ACL file (an error when it has none).
    @discardableResult
    public func aclSave() throws -> RedisCommand<Bool> {
        try sendOK("ACL", ["SAVE"])
    }

    /// ACL LOG: the latest refusals, newest first (`count` of them, default 10).
    public func aclLog(count: Int? = nil) throws -> RedisCommand<[RedisACLLogEntry]> {
        try send("ACL", ["LOG"] + (count.map { [$0] } ?? []), as: [[String: RESPValue]].self, encoding: .utf8)
            .map { entries, _ in try entries.map(RedisACLLogEntry.init) }
    }

    /// ACL LOG RESET: empties the log of refusals.
    @discardableResult
    public func aclLogReset() throws -> RedisCommand<Bool> {
        try sendOK("ACL", ["LOG", "RESET"])
    }

    /// ACL SETUSER: creates the user or changes its rules (`on`, `>password`, `~pattern`, `+@read`, ...). A rule
    /// the server refuses fails the whole call and changes nothing.
    @discardableResult
    public func aclSetUser(_ username: String, rules: [String] = []) throws -> RedisCommand<Bool> {
        try sendOK("ACL", ["SETUSER", username] + rules)
    }

    /// ACL USERS: the names of every user.
    public func aclUsers() throws -> RedisCommand<[String]> {
        try send("ACL", ["USERS"], as: [String].self, encoding: .utf8)
    }

    /// ACL WHOAMI: the user this connection is authenticated as.
    public func aclWhoAmI() throws -> RedisCommand<String> {
        try send("ACL", ["WHOAMI"], as: String.self, encoding: .utf8)
    }
}
