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

        /// The first element of every frame, lowercase, with the kind it names.
        private static let names: [(name: [UInt8], kind: Kind)] = {
            let messages: [(String, Kind)] =
                [("message", .message), ("pmessage", .pmessage), ("smessage", .smessage), ("pong", .pong)]
            let confirmations = PubSubCommandKind.allCases.map { ($0.rawValue, Kind.confirmation($0)) }
            return (messages + confirmations).map { (name: Array($0.0.utf8), kind: $0.1) }
        }()

        /// The kind `bytes` name, compared byte by byte whatever their case: read once per frame, without building
        /// a `String`.
        init?(name bytes: ByteBuffer) {
            let found = bytes.withUnsafeReadableBytes { bytes in
                Self.names.first { entry in
                    // Every name is made of ASCII letters, and `| 0x20` lowercases exactly those (nothing else
                    // becomes a lowercase letter).
                    entry.name.count == bytes.count && zip(entry.name, bytes).allSatisfy { $0 == $1 | 0x20 }
                }
            }
            guard let found else { return nil }
            self = found.kind
        }
    }

    /// The kind of a frame, from its first element; `nil` when it names none.
    static func kind(of items: [RESPValue]) -> Kind? {
        items.first?.bytes.flatMap(Kind.init(name:))
    }

    /// The kind of a RESP2 array read in Pub/Sub mode when it is a frame; `nil` for anything else, a PING reply
    /// included (it answers the PING).
    static func frameKind(of items: [RESPValue]) -> Kind? {
        switch kind(of: items) {
        case .some(.pong), .none: return nil
        case let kind: return kind
        }
    }

    /// The frame `items` make, given their `kind` (read once by the caller); `nil` when malformed or a PONG.
    init?(_ items: [RESPValue], kind: Kind) {
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
