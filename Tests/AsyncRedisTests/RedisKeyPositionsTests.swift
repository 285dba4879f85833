import Testing

@testable import AsyncRedis

/// `RedisCommandTable.keyIndices` against the server's own `COMMAND GETKEYS`, for argument lists generated from
/// every command (and subcommand) that names keys, plus hand-written lists for the keyword and key-count forms.
@Suite(
    "Key positions",
    .needsRedis7("Redis 6.2's COMMAND GETKEYS predates key specs and lacks the 7.0 commands the table describes"))
struct RedisKeyPositionsTests {
    /// Forms whose keys depend on keywords or counts, and edge cases of the commands that parse their own keys.
    private static let handWritten: [[String]] = [
        ["XREAD", "STREAMS", "a", "b", "0", "0"], ["XREAD", "COUNT", "2", "BLOCK", "0", "STREAMS", "a", "0"],
        ["XREAD", "streams", "a", "b", "c", "0", "0", "0"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "0"],
        ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "NOACK", "STREAMS", "a", "b", ">", ">"],
        ["SORT", "k"], ["SORT", "k", "STORE", "d"], ["SORT", "k", "BY", "p", "LIMIT", "0", "1", "GET", "g", "STORE", "d"],
        ["SORT", "k", "GET", "store", "ALPHA"], ["SORT", "k", "STORE", "d1", "STORE", "d2"],
        ["SORT", "k", "LIMIT", "store", "x", "DESC"], ["SORT_RO", "k", "BY", "p", "GET", "q"],
        ["MIGRATE", "h", "1", "k", "0", "1"], ["MIGRATE", "h", "1", "", "0", "1", "KEYS", "a", "b"],
        ["MIGRATE", "h", "1", "", "0", "1", "COPY", "REPLACE", "AUTH", "keys", "KEYS", "a"],
        ["MIGRATE", "h", "1", "", "0", "1", "AUTH2", "u", "keys", "KEYS", "a", "b", "c"],
        ["GEORADIUS", "k", "0", "0", "1", "m", "STORE", "d"], ["GEORADIUS", "k", "0", "0", "1", "m", "STOREDIST", "d"],
        ["GEORADIUS", "k", "0", "0", "1", "m", "STORE", "d", "STOREDIST", "e"],
        ["GEORADIUSBYMEMBER", "k", "x", "1", "km", "STORE", "d"], ["GEORADIUSBYMEMBER", "k", "x", "1", "km", "ASC"],
        ["EVAL", "return 1", "2", "a", "b", "c"], ["EVAL", "return 1", "0"], ["EVALSHA", "abc", "1", "a", "x"],
        ["EVAL_RO", "return 1", "1", "a"], ["FCALL", "f", "3", "a", "b", "c"], ["FCALL_RO", "f", "1", "a", "b"],
        ["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"], ["ZINTERSTORE", "d", "1", "a"],
        ["ZDIFFSTORE", "d", "3", "a", "b", "c"], ["ZINTER", "2", "a", "b"], ["ZUNION", "3", "a", "b", "c", "WITHSCORES"],
        ["ZDIFF", "1", "a"], ["ZINTERCARD", "2", "a", "b", "LIMIT", "1"], ["SINTERCARD", "2", "a", "b"],
        ["LMPOP", "2", "a", "b", "LEFT"], ["BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2"],
        ["ZMPOP", "1", "a", "MIN"], ["BZMPOP", "1", "3", "a", "b", "c", "MAX"],
        ["XINFO", "STREAM", "k"], ["XINFO", "GROUPS", "k"], ["XINFO", "CONSUMERS", "k", "g"],
        ["OBJECT", "ENCODING", "k"], ["OBJECT", "FREQ", "k"], ["MEMORY", "USAGE", "k", "SAMPLES", "5"],
        ["SET", "k", "v", "GET"], ["SET", "k", "v"], ["BITFIELD", "k", "GET", "u8", "0"], ["BITFIELD_RO", "k", "GET", "u8", "0"],
        ["MSET", "a", "1", "b", "2"], ["DEL", "a", "b", "c"], ["RENAME", "a", "b"], ["BLMOVE", "a", "b", "LEFT", "RIGHT", "0"],
        ["LCS", "a", "b"], ["COPY", "a", "b"], ["PFMERGE", "d", "a", "b"], ["GEOSEARCHSTORE", "d", "s", "FROMMEMBER", "m", "BYRADIUS", "1", "m"],
    ]

    @Test("hand-written keyword and key-count forms agree with COMMAND GETKEYS")
    func handWrittenForms() async throws {
        try await withConnection { connection in
            for argv in Self.handWritten { _ = try await Self.check(argv, on: connection) }
        }
    }

    @Test("generated argument lists for every command with keys agree with COMMAND GETKEYS")
    func generatedForms() async throws {
        var checked = 0
        var withKeys = 0
        try await withConnection { connection in
            for argv in Self.generatedArgumentLists() {
                if try await Self.check(argv, on: connection) > 0 { withKeys += 1 }
                checked += 1
            }
        }
        // Most lists name keys: the comparison is not only of empty answers.
        #expect(checked >= 300 && withKeys >= 250, "\(checked) lists, \(withKeys) with keys")
    }

    /// For each command and subcommand whose key specs name keys: its minimum argument count and a few more
    /// (up to its exact arity). Fillers are distinct small numbers, so key-count arguments read as counts and
    /// each key the server returns maps back to one position.
    private static func generatedArgumentLists() -> [[String]] {
        var lists: [[String]] = []
        for spec in RedisCommandTable.allSpecs {
            let entries = spec.subcommands.isEmpty ? [spec] : spec.subcommands.values.sorted { $0.name < $1.name }
            for entry in entries where entry.keySpecs.contains(where: { !$0.flags.contains("not_key") }) {
                let words = entry.name.split(separator: "|").map { String($0).uppercased() }
                let minimum = abs(entry.arity)
                let maximum = entry.arity > 0 ? entry.arity : minimum + 3
                for count in minimum...maximum {
                    let fillers = (words.count..<count).map { String($0) }
                    lists.append(words + fillers)
                }
            }
        }
        return lists
    }

    /// Compares the two answers for `argv`; returns how many keys the server found.
    private static func check(_ argv: [String], on connection: RedisConnection) async throws -> Int {
        let arguments: [any RedisArgument] = Array(argv.dropFirst())
        let ours = RedisCommandTable.keyIndices(command: argv[0], arguments: arguments)
        let reply = try? await connection.execute("COMMAND", arguments: ["GETKEYS"] + argv)
        // The server names keys, not positions: fillers are distinct, so each name has one position (a name
        // used twice in a hand-written list is avoided there).
        let serverIndices: [Int] =
            (reply.flatMap { value -> [String]? in
                guard case .array(let items?) = value else { return nil }
                return items.compactMap { $0.string() }
            } ?? []).map { key in arguments.indices.first { argv[$0 + 1] == key } ?? -1 }
        #expect(ours == serverIndices, "\(argv.joined(separator: " ")): ours \(ours ?? []), server's \(serverIndices)")
        return serverIndices.count
    }
}
