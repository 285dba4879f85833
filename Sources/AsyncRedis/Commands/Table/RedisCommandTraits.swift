/// How AsyncRedis treats a command, derived once from its spec in the table: the one classification that the
/// connection (transactions, Pub/Sub mode), the pool (which connection) and the retry policy consult.
struct RedisCommandTraits: Sendable, Equatable {
    /// The commands whose sending changes how the connection reads what follows. These are behaviours of the
    /// server's connection code, not flags of its table, so they are named here.
    enum ConnectionRole: Sendable, Equatable {
        case multi, exec, discard
        /// WATCH and UNWATCH: a watching connection must not go back to a pool's free list.
        case watch, unwatch
        /// SUBSCRIBE and its kin: their replies are confirmations (or pushes), so they always go the Pub/Sub way,
        /// even when sent through plain `execute`.
        case subscribe(PubSubCommandKind)
        case ping, quit, reset
        case other
    }

    /// Which connection of a pool a command runs on.
    enum PoolRoute: Sendable, Equatable {
        case shared
        /// Blocking commands hold their connection until answered; transactions and WATCH need it alone.
        case exclusive
        /// SUBSCRIBE and kin go to the pool's Pub/Sub connection.
        case pubsub
    }

    let role: ConnectionRole
    let poolRoute: PoolRoute
    /// Whether running the command twice cannot do harm, so that it may be sent again when its connection was
    /// lost before the reply: the server flags it `readonly` (every subcommand but HELP, for a container such as
    /// XINFO), or it is one of the side-effect-free connection commands the server does not flag.
    let isRetrySafe: Bool

    /// A command the table does not know (a module's, or a misspelling): shared, never retried.
    static let unknown = RedisCommandTraits(role: .other, poolRoute: .shared, isRetrySafe: false)

    init(role: ConnectionRole, poolRoute: PoolRoute, isRetrySafe: Bool) {
        self.role = role
        self.poolRoute = poolRoute
        self.isRetrySafe = isRetrySafe
    }

    init(_ spec: RedisCommandSpec) {
        let role = Self.role(spec.name)
        self.role = role
        if case .subscribe = role {
            poolRoute = .pubsub
        } else if spec.hasFlag("blocking") || role == .multi || role == .watch
            || Self.holdsItsConnection.contains(spec.name)
        {
            poolRoute = .exclusive
        } else {
            poolRoute = .shared
        }
        isRetrySafe =
            spec.subcommands.isEmpty ? Self.isRetrySafe(spec) : spec.subcommands.values.allSatisfy(Self.isRetrySafe)
    }

    /// The retry policy sees only the command's name, so a container is retried only when every subcommand
    /// could be (its HELP, which the server does not flag, changes nothing either).
    private static func isRetrySafe(_ spec: RedisCommandSpec) -> Bool {
        spec.hasFlag("readonly") || harmlessUnflagged.contains(spec.name) || spec.name.hasSuffix("|help")
    }

    /// Commands that take over their connection but are not flagged `blocking`: WAIT blocks, MONITOR and the
    /// replication handshakes turn the connection into a stream.
    private static let holdsItsConnection: Set<String> = ["wait", "waitaof", "monitor", "sync", "psync"]

    /// Connection commands without side effects that Redis does not flag `readonly`.
    private static let harmlessUnflagged: Set<String> = ["ping", "echo", "time"]

    private static func role(_ name: String) -> ConnectionRole {
        switch name {
        case "multi": return .multi
        case "exec": return .exec
        case "discard": return .discard
        case "watch": return .watch
        case "unwatch": return .unwatch
        case "ping": return .ping
        case "quit": return .quit
        case "reset": return .reset
        default: return PubSubCommandKind(rawValue: name).map { .subscribe($0) } ?? .other
        }
    }

    /// The Pub/Sub command this is, if it is one.
    var pubSubKind: PubSubCommandKind? {
        if case .subscribe(let kind) = role { return kind }
        return nil
    }

    /// What Redis accepts from a RESP2 client in Pub/Sub mode.
    var isAllowedInPubSubMode: Bool {
        switch role {
        case .subscribe, .ping, .quit, .reset: return true
        case .multi, .exec, .discard, .watch, .unwatch, .other: return false
        }
    }
}
