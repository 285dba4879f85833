/// Which commands of the command table `Redis` has a method for, and why the others have none.
///
/// The methods come from `RedisCommandTable.encodedMethodIndex`, which scripts/generate-redis-methods.py writes
/// from the methods themselves (a builder's or hand-written method's doc comment starts with the command it sends),
/// so a command cannot be listed without a method. The two lists below are kept by hand, and are short on purpose:
/// the coverage tests fail for any other command of the table that has no method.
enum RedisCommandCoverage {
    /// Commands that need a connection mode of their own, which a request/reply client cannot offer: the reason.
    static let excluded: [String: String] = [
        "sync": "replication stream: the connection becomes a replica's link",
        "psync": "replication stream: the connection becomes a replica's link",
        "replconf": "replication handshake, sent only by replicas",
        "monitor": "the connection turns into an endless stream of every command the server runs",
        "client|reply": "OFF and SKIP make the server send no reply, so replies could no longer be paired with calls",
        "script|debug": "YES and SYNC turn the connection into an interactive Lua debugger session",
        "reset": "resets the connection's database, user and subscriptions behind the client's back",
    ]

    /// Commands that change connection state, which another part of the API does: the API that does it.
    static let mappedElsewhere: [String: String] = [
        "hello": "the connection's handshake: `createRedis(protocolVersion:username:password:)` sends HELLO",
        "multi": "`Redis.multiExec()` / `multiExec { }` / `transaction(watching:)` send MULTI with their commands",
        "exec": "`MultiExec.execute()` sends EXEC after the queued commands",
        "discard": "a `MultiExec` sends MULTI, its commands and EXEC together, so there is never one to discard",
    ]

    /// Command name (`COMMAND LIST` spelling: lower case, `container|subcommand`) → the `Redis` methods that send
    /// it, written `name(label:_:)`.
    static let methods: [String: [String]] = {
        var methods: [String: [String]] = [:]
        for line in RedisCommandTable.encodedMethodIndex.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            methods[String(fields[0])] = fields[1].split(separator: " ").map(String.init)
        }
        return methods
    }()

    /// Every name of the command table as COMMAND LIST spells it (`container|subcommand` for a subcommand).
    static var tableNames: [String] {
        RedisCommandTable.allSpecs.flatMap { [$0.name] + $0.subcommands.values.map(\.name) }
    }

    /// The names among `names` that should have a method and have none: known to the command table (what a newer
    /// server adds is not demanded), callable (not a container such as `CLIENT` itself), neither excluded nor
    /// mapped elsewhere. Sorted.
    static func missing(from names: some Sequence<String>) -> [String] {
        let containers = Set(RedisCommandTable.allSpecs.filter { !$0.subcommands.isEmpty }.map(\.name))
        let known = Set(tableNames)
        return Set(names.map { $0.lowercased() })
            .filter { known.contains($0) && !containers.contains($0) }
            .filter { excluded[$0] == nil && mappedElsewhere[$0] == nil && methods[$0] == nil }
            .sorted()
    }
}
