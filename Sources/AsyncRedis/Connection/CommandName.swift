/// The few commands whose sending changes how the connection reads what follows.
enum CommandName: Equatable {
    case multi, exec, discard
    /// WATCH and UNWATCH: a watching connection must not go back to a pool's free list.
    case watch, unwatch
    /// SUBSCRIBE and its kin: their replies are confirmations (or pushes), so they always go the Pub/Sub way,
    /// even when sent through plain `execute`.
    case subscribeFamily(PubSubCommandKind)
    case ping, quit, reset
    case other

    init(_ command: String) {
        // Short-circuit on length: most commands are none of these and cost one comparison. The rest are matched
        // byte by byte, ignoring ASCII case, without building an uppercased copy for every command sent.
        let utf8 = command.utf8
        guard (4...12).contains(utf8.count) else {
            self = .other
            return
        }
        self = Self.spellings.first { Self.matches(utf8, lowercase: $0.lowercase) }?.name ?? .other
    }

    private static let spellings: [(lowercase: String.UTF8View, name: CommandName)] = ([
        ("multi", .multi), ("exec", .exec), ("discard", .discard), ("watch", .watch), ("unwatch", .unwatch),
        ("ping", .ping), ("quit", .quit), ("reset", .reset),
    ] as [(String, CommandName)] + PubSubCommandKind.allCases.map { ($0.rawValue, .subscribeFamily($0)) })
        .map { (lowercase: $0.0.utf8, name: $0.1) }

    /// Whether `command` spells `lowercase` in any ASCII case. `byte | 0x20` lowercases an ASCII letter, and
    /// only the two cases of a letter map onto a lowercase letter, so no other byte can match.
    private static func matches(_ command: String.UTF8View, lowercase: String.UTF8View) -> Bool {
        command.count == lowercase.count && zip(command, lowercase).allSatisfy { $0 | 0x20 == $1 }
    }

    /// What Redis accepts from a RESP2 client in Pub/Sub mode.
    /// The Pub/Sub command this names, if it is one.
    var pubSubKind: PubSubCommandKind? {
        if case .subscribeFamily(let kind) = self { return kind }
        return nil
    }

    var isAllowedInPubSubMode: Bool {
        switch self {
        case .subscribeFamily, .ping, .quit, .reset: return true
        case .multi, .exec, .discard, .watch, .unwatch, .other: return false
        }
    }
}
