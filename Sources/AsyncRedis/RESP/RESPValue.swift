import NIOCore

/// One reply from the server, of any RESP2 or RESP3 kind.
///
/// Bulk payloads are `ByteBuffer` slices of the bytes read from the socket: no copy is made while parsing.
public enum RESPValue: Sendable, Hashable {
    /// `+OK` (RESP2 and RESP3).
    case simpleString(ByteBuffer)
    /// `-ERR ...` or RESP3's blob error `!`.
    case error(ByteBuffer)
    /// `:42`.
    case integer(Int64)
    /// `$5 hello`; `nil` for RESP2's null bulk string `$-1`.
    case bulkString(ByteBuffer?)
    /// `*2 ...`; `nil` for RESP2's null array `*-1`.
    case array([RESPValue]?)
    /// RESP3 `_`.
    case null
    /// RESP3 `%`: key/value pairs in the order the server sent them.
    case map([RESPPair])
    /// RESP3 `~`.
    case set([RESPValue])
    /// RESP3 `,` (including `inf`, `-inf`, `nan`).
    case double(Double)
    /// RESP3 `#t` / `#f`.
    case boolean(Bool)
    /// RESP3 `(`: an integer too big for 64 bits, kept as its decimal text.
    case bigNumber(String)
    /// RESP3 `=`: a string with a three-letter format (`txt`, `mkd`).
    case verbatimString(format: String, ByteBuffer)
    /// RESP3 `>`: out-of-band data (Pub/Sub messages, invalidations).
    case push([RESPValue])
    /// RESP3 `|`: metadata attached to the value that follows it.
    indirect case attribute([RESPPair], RESPValue)

    /// True for RESP2's null bulk string and array and RESP3's null.
    public var isNull: Bool {
        switch self {
        case .null, .bulkString(nil), .array(nil): return true
        case .attribute(_, let value): return value.isNull
        default: return false
        }
    }

    /// The reply's bytes when it is a string of any kind (simple, bulk, verbatim, error).
    public var bytes: ByteBuffer? {
        switch self {
        case .simpleString(let b), .error(let b), .bulkString(.some(let b)), .verbatimString(_, let b): return b
        case .attribute(_, let value): return value.bytes
        default: return nil
        }
    }

    /// The reply as text, when it is a string of any kind, an integer, a double or a big number.
    public func string(encoding: RedisEncoding = .utf8) -> String? {
        switch self {
        case .integer(let i): return String(i)
        case .double(let d): return String(d)
        case .bigNumber(let s): return s
        default: return bytes.flatMap { encoding.decode($0) }
        }
    }
}

/// A key/value pair of a RESP3 map or attribute.
public struct RESPPair: Sendable, Hashable {
    /// The key.
    public var key: RESPValue
    /// The value.
    public var value: RESPValue

    /// A pair from its key and value.
    public init(key: RESPValue, value: RESPValue) {
        self.key = key
        self.value = value
    }
}

extension RESPValue: CustomStringConvertible {
    /// The reply in a readable form, all of it.
    public var description: String {
        switch self {
        case .simpleString(let b): return "+\(String(buffer: b))"
        case .error(let b): return "-\(String(buffer: b))"
        case .integer(let i): return ":\(i)"
        case .bulkString(nil), .array(nil), .null: return "nil"
        case .bulkString(.some(let b)): return String(reflecting: String(buffer: b))
        case .array(.some(let items)): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let pairs): return "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .set(let items): return "~{" + items.map(\.description).joined(separator: ", ") + "}"
        case .double(let d): return ",\(d)"
        case .boolean(let b): return b ? "#t" : "#f"
        case .bigNumber(let s): return "(\(s)"
        case .verbatimString(let format, let b): return "=\(format):\(String(buffer: b))"
        case .push(let items): return ">[" + items.map(\.description).joined(separator: ", ") + "]"
        case .attribute(let pairs, let value):
            return "|{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "} \(value)"
        }
    }
}

extension RESPValue {
    /// Whether this is a RESP3 push (out-of-band data, such as a Pub/Sub message), which answers no command.
    var isPush: Bool {
        if case .push = self { return true }
        return false
    }
}

extension Array where Element == RESPValue {
    /// Moves the reply at `index` out, leaving `.null` in its place. Unlike a copy, this does not retain the
    /// reply's bytes once more; on a pipeline of small replies such copies showed up in profiles.
    mutating func moveOut(at index: Int) -> RESPValue {
        var reply = RESPValue.null
        swap(&reply, &self[index])
        return reply
    }
}
