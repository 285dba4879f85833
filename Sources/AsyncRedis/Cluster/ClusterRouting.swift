/// Where a command goes in a cluster.
///
/// - A command with keys goes to the node serving their slot; keys in different slots are a `CrossSlotError`.
/// - `DBSIZE`, `KEYS`, `FLUSHALL`, `FLUSHDB`, `PING`, `SCRIPT LOAD|FLUSH|EXISTS`, `FUNCTION LOAD|FLUSH|DELETE|
///   RESTORE` go to every master (`ClusterAggregation` says how the replies combine); `SCAN` walks the masters
///   one after the other.
/// - `SPUBLISH` goes to the node serving its channel's slot.
/// - Any other keyless command (INFO, CONFIG, CLIENT, PUBLISH, CLUSTER ..., a command the table does not know)
///   goes to one master picked at random.
enum ClusterRoute: Equatable {
    case slot(Int)
    case anyMaster
    case everyMaster(ClusterAggregation)
    case scan
}

/// How the replies of a command sent to every master are combined.
enum ClusterAggregation: Equatable {
    /// The sum of the integers (DBSIZE).
    case sum
    /// Every array's elements, master after master (KEYS).
    case concatenate
    /// Element by element, 1 only where every master answered 1 (SCRIPT EXISTS).
    case allTrue
    /// The first master's reply, once every master answered without error (FLUSHALL, SCRIPT LOAD, PING, ...).
    case same
}

enum ClusterRouting {
    static func route(_ command: String, _ arguments: [any RedisArgument]) throws -> ClusterRoute {
        let name = command.uppercased()
        if let route = keylessRoute(name, arguments) { return route }
        guard let indices = RedisCommandTable.keyIndices(command: name, arguments: arguments) else {
            return .anyMaster
        }
        guard let slot = try slot(of: indices.compactMap { $0 < arguments.count ? arguments[$0] : nil }, command: name)
        else { return .anyMaster }
        return .slot(slot)
    }

    /// The one slot of `keys`, nil when there are none; `CrossSlotError` when they span several.
    static func slot(of keys: [any RedisArgument], command: String) throws -> Int? {
        guard let first = keys.first else { return nil }
        let slot = ClusterKeySlot.slot(of: first)
        for key in keys.dropFirst() where ClusterKeySlot.slot(of: key) != slot {
            throw CrossSlotError(
                command: command,
                keys: keys.map { (key: RedisArgumentPayload.text(of: $0), slot: ClusterKeySlot.slot(of: $0)) })
        }
        return slot
    }

    private static func keylessRoute(_ name: String, _ arguments: [any RedisArgument]) -> ClusterRoute? {
        switch name {
        case "DBSIZE": return .everyMaster(.sum)
        case "KEYS": return .everyMaster(.concatenate)
        case "FLUSHALL", "FLUSHDB", "PING": return .everyMaster(.same)
        case "SCAN": return .scan
        case "SPUBLISH": return arguments.first.map { .slot(ClusterKeySlot.slot(of: $0)) } ?? .anyMaster
        case "SCRIPT", "FUNCTION":
            let subcommand = arguments.first.map { RedisArgumentPayload.text(of: $0).uppercased() } ?? ""
            switch (name, subcommand) {
            case ("SCRIPT", "EXISTS"): return .everyMaster(.allTrue)
            case ("SCRIPT", "LOAD"), ("SCRIPT", "FLUSH"), ("FUNCTION", "LOAD"), ("FUNCTION", "FLUSH"),
                ("FUNCTION", "DELETE"), ("FUNCTION", "RESTORE"):
                return .everyMaster(.same)
            default: return .anyMaster
            }
        default: return nil
        }
    }

    static func aggregate(_ replies: [RESPValue], _ aggregation: ClusterAggregation) throws -> RESPValue {
        switch aggregation {
        case .sum:
            return .integer(Int64(replies.compactMap(\.clusterInteger).reduce(0, +)))
        case .concatenate:
            return .array(replies.flatMap { $0.clusterArray ?? [] })
        case .allTrue:
            let lists = replies.map { ($0.clusterArray ?? []).map { $0.clusterInteger == 1 } }
            let count = lists.map(\.count).min() ?? 0
            return .array((0..<count).map { index in .integer(lists.allSatisfy { $0[index] } ? 1 : 0) })
        case .same:
            guard let first = replies.first else { throw ClusterNodeUnavailableError("the cluster lists no master") }
            return first
        }
    }
}
