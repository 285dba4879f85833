// Server administration commands aioredis 1.x lacks: modules, COMMAND introspection, shutdown, replication and
// failover, and the HELP subcommand of every container command.
extension RedisCommands {
    /// MODULE LIST: the loaded modules.
    public func moduleList() throws -> RedisCommand<[RedisModule]> {
        try send("MODULE", ["LIST"], as: [[String: RESPValue]].self, encoding: .utf8).map { modules, _ in
            try modules.map { fields in
                guard let name = fields["name"], let version = fields["ver"] else {
                    throw UnexpectedReplyError("MODULE LIST: fields \(fields.keys.sorted())")
                }
                return RedisModule(
                    name: try String(fromRESP: name, encoding: .utf8),
                    version: try Int(fromRESP: version, encoding: .utf8),
                    path: try fields["path"].map { try String(fromRESP: $0, encoding: .utf8) },
                    arguments: try fields["args"].map { try [String](fromRESP: $0, encoding: .utf8) } ?? [])
            }
        }
    }

    /// MODULE LOAD: loads the module at `path` (a path on the server's machine) with `arguments`.
    @discardableResult
    public func moduleLoad(_ path: String, arguments: [String] = []) throws -> RedisCommand<Bool> {
        try sendOK("MODULE", ["LOAD", path] + arguments)
    }

    /// MODULE LOADEX: MODULE LOAD with module configuration values (CONFIG name value) (Redis 7).
    @discardableResult
    public func moduleLoadEx(_ path: String, configs: [(name: String, value: String)] = [], arguments: [String] = [])
        throws -> RedisCommand<Bool>
    {
        var sent: [any RedisArgument] = ["LOADEX", path]
        for config in configs { sent += ["CONFIG", config.name, config.value] }
        if !arguments.isEmpty { sent += ["ARGS"] + arguments }
        return try sendOK("MODULE", sent)
    }

    /// MODULE UNLOAD: unloads the module named `name`.
    @discardableResult
    public func moduleUnload(_ name: String) throws -> RedisCommand<Bool> {
        try sendOK("MODULE", ["UNLOAD", name])
    }

    /// COMMAND DOCS: the documentation of `commands` (of every command when empty), by command name (Redis 7).
    public func commandDocs(_ commands: [String] = []) throws -> RedisCommand<[String: RedisCommandDocs]> {
        try send("COMMAND", ["DOCS"] + commands, as: [String: [String: RESPValue]].self, encoding: .utf8)
            .map { docs, _ in try docs.mapValues(RedisCommandDocs.init) }
    }

    /// COMMAND LIST: the names of every command (subcommands as `container|subcommand`), or those `filter`
    /// selects (Redis 7).
    public func commandList(filter: RedisCommandListFilter? = nil) throws -> RedisCommand<[String]> {
        try send("COMMAND", ["LIST"] + (filter?.arguments ?? []), as: [String].self, encoding: .utf8)
    }

    /// COMMAND GETKEYSANDFLAGS: the keys of a full command line with the access flags of each (`RW`, `access`,
    /// `update`, ...) (Redis 7).
    public func commandGetKeysAndFlags(_ command: String, _ arguments: [any RedisArgument] = [],
                                       encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[(key: String, flags: Set<String>)]>
    {
        try send("COMMAND", ["GETKEYSANDFLAGS", command] + arguments, as: [[RESPValue]].self).encoded(with: encoding)
            .map { entries, text in
                try entries.map { entry in
                    guard entry.count == 2 else { throw UnexpectedReplyError("GETKEYSANDFLAGS: \(entry.count) fields") }
                    let flags = try Set<String>(fromRESP: entry[1], encoding: .utf8)
                    return (try String(fromRESP: entry[0], encoding: text), flags)
                }
            }
    }

    /// SHUTDOWN: saves (per `save`, else per the server's save points) and stops the server; `now` skips waiting
    /// for lagging replicas, `force` ignores errors that would stop it, `abort` cancels a shutdown in progress
    /// (those three Redis 7). A server that shuts down sends no reply: the call fails with the connection's
    /// closed error, which then means it worked; true answers only an `abort`.
    @discardableResult
    public func shutdown(save: ShutdownSave? = nil, now: Bool = false, force: Bool = false, abort: Bool = false)
        throws -> RedisCommand<Bool>
    {
        var arguments: [any RedisArgument] = save.map { [$0.rawValue] } ?? []
        if now { arguments.append("NOW") }
        if force { arguments.append("FORCE") }
        if abort { arguments.append("ABORT") }
        return try sendOK("SHUTDOWN", arguments)
    }

    /// REPLICAOF host port: makes this server a replica of another, dropping its own data for the master's.
    @discardableResult
    public func replicaof(host: String, port: Int) throws -> RedisCommand<Bool> {
        try sendOK("REPLICAOF", [host, port])
    }

    /// REPLICAOF NO ONE: makes this replica a master, keeping its data.
    @discardableResult
    public func replicaofNoOne() throws -> RedisCommand<Bool> {
        try sendOK("REPLICAOF", ["NO", "ONE"])
    }

    /// SLAVEOF: REPLICAOF under its old name (aioredis `slaveof`); nil host: SLAVEOF NO ONE.
    @discardableResult
    public func slaveof(host: String?, port: Int? = nil) throws -> RedisCommand<Bool> {
        guard let host else { return try sendOK("SLAVEOF", ["NO", "ONE"]) }
        guard let port else { throw InvalidArgumentError("slaveof needs a port with a host") }
        return try sendOK("SLAVEOF", [host, port])
    }

    /// FAILOVER: hands this master's role to a replica (the one at `to`, else one the server picks), after
    /// `timeout`; `force` (which needs `to` and `timeout`) fails over even when the replica lags; `abort`
    /// cancels a failover in progress (Redis 6.2).
    @discardableResult
    public func failover(to: (host: String, port: Int)? = nil, force: Bool = false, abort: Bool = false,
                         timeout: Duration? = nil) throws -> RedisCommand<Bool> {
        if force, to == nil || timeout == nil { throw InvalidArgumentError("force needs both to and timeout") }
        var arguments: [any RedisArgument] = []
        if let to { arguments += ["TO", to.host, to.port] }
        if force { arguments.append("FORCE") }
        if abort { arguments.append("ABORT") }
        if let timeout { arguments += ["TIMEOUT", try Redis.nonNegativeMilliseconds(timeout, "timeout")] }
        return try sendOK("FAILOVER", arguments)
    }

    // Redis commands: acl|help client|help cluster|help command|help config|help function|help latency|help
    // Redis commands: memory|help module|help object|help pubsub|help script|help slowlog|help xgroup|help
    // Redis commands: xinfo|help
    /// The HELP subcommand of a container command (`ACL`, `CLIENT`, `XINFO`, ...): its subcommands, explained,
    /// one line per item.
    public func subcommandHelp(_ command: String) throws -> RedisCommand<[String]> {
        try send(command, ["HELP"], as: [String].self, encoding: .utf8)
    }
}
