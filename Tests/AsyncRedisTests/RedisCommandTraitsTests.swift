import Testing

@testable import AsyncRedis

/// The classification the connection, the pool and the retry policy take from the command table.
@Suite("Command traits")
struct RedisCommandTraitsTests {
    @Test("the connection roles match in any ASCII case", arguments: [
        ("MULTI", RedisCommandTraits.ConnectionRole.multi), ("multi", .multi), ("Exec", .exec), ("discard", .discard),
        ("SUBSCRIBE", .subscribe(.subscribe)), ("pUnSubscribe", .subscribe(.punsubscribe)),
        ("ssubscribe", .subscribe(.ssubscribe)), ("SUNSUBSCRIBE", .subscribe(.sunsubscribe)),
        ("unsubscribe", .subscribe(.unsubscribe)), ("PSUBSCRIBE", .subscribe(.psubscribe)),
        ("ping", .ping), ("QUIT", .quit), ("Reset", .reset), ("watch", .watch), ("UnWatch", .unwatch),
        ("GET", .other), ("publish", .other),
    ])
    func roles(_ spelling: String, _ role: RedisCommandTraits.ConnectionRole) {
        #expect(RedisCommandTable.traits(spelling).role == role)
    }

    @Test("near misses, non-letters and unknown commands are unknown", arguments: [
        "MULTIX", "EXE", "PINGS", "subscribe ", "M\u{0}LTI", "MULTİ", "quiT\n", "", "P\u{0}NG", "PING\u{0}",
        "pin\u{07}", "WATCHX", "UNWATC", "XINFO|STREAM", "get_", "s\u{1}t", "NOSUCHCOMMAND",
    ])
    func unknown(_ spelling: String) {
        #expect(RedisCommandTable.traits(spelling) == .unknown)
        #expect(RedisCommandTable.spec(spelling) == nil)
    }

    @Test("every command of the table is found by its name in any case")
    func everyNameIsFound() {
        for spec in RedisCommandTable.allSpecs {
            #expect(RedisCommandTable.spec(spec.name)?.name == spec.name)
            #expect(RedisCommandTable.spec(spec.name.uppercased())?.name == spec.name)
        }
        #expect(RedisCommandTable.allSpecs.count > 200)
    }

    @Test("blocking commands, transactions and WATCH take a connection of their own in a pool", arguments: [
        "BLPOP", "brpop", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZMPOP", "XREAD", "XREADGROUP", "WAIT", "MULTI", "WATCH",
        "MONITOR", "SYNC", "PSYNC",
    ])
    func exclusive(_ command: String) {
        #expect(RedisCommandTable.traits(command).poolRoute == .exclusive)
    }

    @Test("Pub/Sub commands go to the pool's Pub/Sub connection, others share", arguments: [
        ("SUBSCRIBE", RedisCommandTraits.PoolRoute.pubsub), ("sunsubscribe", .pubsub), ("PUBLISH", .shared),
        ("GET", .shared), ("EXEC", .shared), ("PUBSUB", .shared),
    ])
    func poolRoutes(_ command: String, _ route: RedisCommandTraits.PoolRoute) {
        #expect(RedisCommandTable.traits(command).poolRoute == route)
    }

    @Test("read-only commands are retried after a lost connection, writes are not", arguments: [
        ("GET", true), ("eval_ro", true), ("EVALSHA_RO", true), ("FCALL_RO", true), ("XINFO", true),
        ("OBJECT", true), ("PING", true), ("ECHO", true), ("TIME", true), ("XREAD", true), ("SORT_RO", true),
        ("SET", false), ("EVAL", false), ("FCALL", false), ("CLIENT", false), ("MEMORY", false), ("INCR", false),
        ("XREADGROUP", false), ("SORT", false), ("nosuchcommand", false),
    ])
    func retrySafe(_ command: String, _ safe: Bool) {
        #expect(RedisCommandTable.traits(command).isRetrySafe == safe)
    }

    @Test("a container command's spec is its subcommand's")
    func subcommandSpecs() {
        #expect(RedisCommandTable.spec(command: "XINFO", arguments: ["stream", "k"])?.name == "xinfo|stream")
        #expect(RedisCommandTable.spec(command: "object", arguments: ["ENCODING", "k"])?.name == "object|encoding")
        #expect(RedisCommandTable.spec(command: "XINFO", arguments: ["nosuch"]) == nil)
        #expect(RedisCommandTable.spec(command: "XINFO", arguments: [])?.name == "xinfo")
        #expect(RedisCommandTable.spec(command: "GET", arguments: ["stream"])?.name == "get")
        #expect(RedisCommandTable.keyIndices(command: "nosuch", arguments: ["k"]) == nil)
        #expect(RedisCommandTable.keyIndices(command: "PING", arguments: []) == [])
        #expect(RedisCommandTable.keyIndices(command: "MEMORY", arguments: ["USAGE", "k"]) == [1])
    }
}
