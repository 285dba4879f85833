import Testing

@testable import AsyncRedis

/// The commands that change how a connection reads what follows are recognised in any case, and nothing else is.
@Suite("CommandName")
struct CommandNameTests {
    @Test("known commands match in any ASCII case", arguments: [
        ("MULTI", CommandName.multi), ("multi", .multi), ("Exec", .exec), ("discard", .discard),
        ("SUBSCRIBE", .subscribeFamily(.subscribe)), ("pUnSubscribe", .subscribeFamily(.punsubscribe)),
        ("ssubscribe", .subscribeFamily(.ssubscribe)), ("SUNSUBSCRIBE", .subscribeFamily(.sunsubscribe)),
        ("unsubscribe", .subscribeFamily(.unsubscribe)), ("PSUBSCRIBE", .subscribeFamily(.psubscribe)),
        ("ping", .ping), ("QUIT", .quit), ("Reset", .reset), ("watch", .watch), ("UnWatch", .unwatch),
    ])
    func known(_ spelling: String, _ name: CommandName) {
        #expect(CommandName(spelling) == name)
    }

    @Test("other commands, near misses and non-letters are .other", arguments: [
        "GET", "SET", "INCR", "MULTIX", "EXE", "PINGS", "subscribe ", "M\u{0}LTI", "MULTİ", "quiT\n", "",
        "P\u{0}NG", "PING\u{0}", "pin\u{07}", "WATCHX", "UNWATC",
    ])
    func other(_ spelling: String) {
        #expect(CommandName(spelling) == .other)
    }
}
