import NIOCore

/// The Pub/Sub commands and the confirmations they produce.
public enum PubSubCommandKind: String, Sendable, CaseIterable {
    /// The six subscription commands.
    case subscribe, unsubscribe, psubscribe, punsubscribe, ssubscribe, sunsubscribe

    /// The kind of a Pub/Sub command name (any case); nil for other commands.
    public init?(command: String) {
        self.init(rawValue: command.lowercased())
    }

    var subscribes: Bool {
        switch self {
        case .subscribe, .psubscribe, .ssubscribe: return true
        case .unsubscribe, .punsubscribe, .sunsubscribe: return false
        }
    }

    var isPattern: Bool { self == .psubscribe || self == .punsubscribe }

    /// The unsubscribe command of a subscribe command.
    var undoingKind: PubSubCommandKind? {
        switch self {
        case .subscribe: return .unsubscribe
        case .psubscribe: return .punsubscribe
        case .ssubscribe: return .sunsubscribe
        case .unsubscribe, .punsubscribe, .sunsubscribe: return nil
        }
    }
}

/// One Pub/Sub frame: a RESP2 array read in Pub/Sub mode or a RESP3 push.
enum PubSubFrame {
    case message(channel: String, payload: ByteBuffer)
    case patternMessage(pattern: String, channel: String, payload: ByteBuffer)
    case shardMessage(channel: String, payload: ByteBuffer)
    case confirmation(PubSubCommandKind, name: String?, frame: RESPValue)

    enum Kind {
        case message, pmessage, smessage, pong
        case confirmation(PubSubCommandKind)
    }

    static func kind(of items: [RESPValue]) -> Kind? {
        guard let first = items.first?.bytes else { return nil }
        switch String(buffer: first).lowercased() {
        case "message": return .message
        case "pmessage": return .pmessage
        case "smessage": return .smessage
        case "pong": return .pong
        case let other:
            return PubSubCommandKind(rawValue: other).map(Kind.confirmation)
        }
    }

    /// True when a RESP2 array in Pub/Sub mode is a frame (anything but a PING reply).
    static func isFrame(_ items: [RESPValue]) -> Bool {
        switch kind(of: items) {
        case .some(.pong), .none: return false
        default: return true
        }
    }

    init?(_ items: [RESPValue]) {
        guard let kind = Self.kind(of: items) else { return nil }
        func text(_ index: Int) -> String? {
            guard index < items.count, let bytes = items[index].bytes else { return nil }
            return String(buffer: bytes)
        }
        switch kind {
        case .message:
            guard items.count == 3, let channel = text(1), let payload = items[2].bytes else { return nil }
            self = .message(channel: channel, payload: payload)
        case .smessage:
            guard items.count == 3, let channel = text(1), let payload = items[2].bytes else { return nil }
            self = .shardMessage(channel: channel, payload: payload)
        case .pmessage:
            guard items.count == 4, let pattern = text(1), let channel = text(2), let payload = items[3].bytes
            else { return nil }
            self = .patternMessage(pattern: pattern, channel: channel, payload: payload)
        case .confirmation(let command):
            self = .confirmation(command, name: text(1), frame: .array(items))
        case .pong:
            return nil
        }
    }
}
