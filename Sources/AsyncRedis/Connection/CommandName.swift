/// The few commands whose sending changes how the connection reads what follows.
enum CommandName: Equatable {
    case multi, exec, discard
    case subscribeFamily
    case ping, quit, reset
    case other

    init(_ command: String) {
        // Short-circuit on length: most commands are none of these and cost one comparison.
        let utf8 = command.utf8
        guard (4...12).contains(utf8.count) else {
            self = .other
            return
        }
        switch command.uppercased() {
        case "MULTI": self = .multi
        case "EXEC": self = .exec
        case "DISCARD": self = .discard
        case "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE":
            self = .subscribeFamily
        case "PING": self = .ping
        case "QUIT": self = .quit
        case "RESET": self = .reset
        default: self = .other
        }
    }

    /// What Redis accepts from a RESP2 client in Pub/Sub mode.
    var isAllowedInPubSubMode: Bool {
        switch self {
        case .subscribeFamily, .ping, .quit, .reset: return true
        case .multi, .exec, .discard, .other: return false
        }
    }
}
