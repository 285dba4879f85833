import NIOCore

/// A type a reply can be decoded into.
public protocol RESPValueDecodable: Sendable {
    /// Decodes `value`; `encoding` applies where bytes become text.
    init(fromRESP value: RESPValue, encoding: RedisEncoding) throws
}

extension RESPValueDecodable {
    static func mismatch(_ value: RESPValue) -> UnexpectedReplyError {
        UnexpectedReplyError("cannot decode \(Self.self) from reply \(value.preview)")
    }
}

extension RESPValue: RESPValueDecodable {
    /// Decodes a reply; throws `UnexpectedReplyError` when it has another shape.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws { self = value }
}

extension String: RESPValueDecodable {
    /// Decodes a reply; throws `UnexpectedReplyError` when it has another shape.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        switch value {
        case .simpleString, .bulkString(.some), .verbatimString, .integer, .double, .bigNumber:
            guard let text = value.string(encoding: encoding) else {
                throw UnexpectedReplyError("reply is not valid \(encoding.rawValue): \(value.preview)")
            }
            self = text
        case .attribute(_, let inner):
            self = try String(fromRESP: inner, encoding: encoding)
        default:
            throw Self.mismatch(value)
        }
    }
}

extension ByteBuffer: RESPValueDecodable {
    /// Decodes a reply; throws `UnexpectedReplyError` when it has another shape.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        if let bytes = value.bytes {
            self = bytes
        } else if case .integer(let i) = value {
            self = ByteBuffer(string: String(i))
        } else {
            throw Self.mismatch(value)
        }
    }
}

extension Array: RESPValueDecodable where Element: RESPValueDecodable {
    /// Decodes a reply; throws `UnexpectedReplyError` when it has another shape.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        switch value {
        case .array(.some(let items)), .set(let items), .push(let items):
            self = try items.map { try Element(fromRESP: $0, encoding: encoding) }
        case .map(let pairs):
            // A RESP3 map read as a flat list, as RESP2 would have sent it.
            var items: [Element] = []
            items.reserveCapacity(pairs.count * 2)
            for pair in pairs {
                items.append(try Element(fromRESP: pair.key, encoding: encoding))
                items.append(try Element(fromRESP: pair.value, encoding: encoding))
            }
            self = items
        case .attribute(_, let inner):
            self = try Self(fromRESP: inner, encoding: encoding)
        default:
            // Bytes asked for as [UInt8] are a bulk string, not a list.
            if Element.self == UInt8.self, let bytes = value.bytes {
                self = [UInt8](bytes.readableBytesView) as! Self
                return
            }
            throw Self.mismatch(value)
        }
    }
}

extension Optional: RESPValueDecodable where Wrapped: RESPValueDecodable {
    /// Decodes a reply; throws `UnexpectedReplyError` when it has another shape.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        self = value.isNull ? nil : try Wrapped(fromRESP: value, encoding: encoding)
    }
}

extension Set: RESPValueDecodable where Element: RESPValueDecodable {
    /// Decodes a reply; throws `UnexpectedReplyError` when it has another shape.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        self = Set(try [Element](fromRESP: value, encoding: encoding))
    }
}

extension Dictionary: RESPValueDecodable where Key: RESPValueDecodable, Value: RESPValueDecodable {
    /// From a RESP3 map, or a RESP2 flat array of alternating keys and values (HGETALL, CONFIG GET).
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        var result: [Key: Value] = [:]
        switch value {
        case .map(let pairs):
            for pair in pairs {
                result[try Key(fromRESP: pair.key, encoding: encoding)] = try Value(fromRESP: pair.value, encoding: encoding)
            }
        case .array(.some(let items)):
            guard items.count % 2 == 0 else { throw Self.mismatch(value) }
            var index = 0
            while index < items.count {
                result[try Key(fromRESP: items[index], encoding: encoding)] =
                    try Value(fromRESP: items[index + 1], encoding: encoding)
                index += 2
            }
        case .attribute(_, let inner):
            self = try Self(fromRESP: inner, encoding: encoding)
            return
        default:
            throw Self.mismatch(value)
        }
        self = result
    }
}

extension Bool: RESPValueDecodable {
    /// `:1`/`:0`, RESP3 booleans, and `+OK`.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        switch value {
        case .integer(let i): self = i != 0
        case .boolean(let b): self = b
        case .simpleString(let s): self = String(buffer: s) == "OK"
        case .bulkString(nil), .null: self = false
        case .attribute(_, let inner): self = try Bool(fromRESP: inner, encoding: encoding)
        default: throw Self.mismatch(value)
        }
    }
}

extension Double: RESPValueDecodable {
    /// Decodes a reply; throws `UnexpectedReplyError` when it has another shape.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        switch value {
        case .double(let d): self = d
        case .integer(let i): self = Double(i)
        default:
            guard let text = value.string(encoding: .utf8) else { throw Self.mismatch(value) }
            switch text {
            case "inf", "+inf": self = .infinity
            case "-inf": self = -.infinity
            default:
                guard let d = Double(text) else { throw Self.mismatch(value) }
                self = d
            }
        }
    }
}

extension RESPValueDecodable where Self: FixedWidthInteger {
    /// Decodes a reply; throws `UnexpectedReplyError` when it has another shape.
    public init(fromRESP value: RESPValue, encoding: RedisEncoding) throws {
        switch value {
        case .integer(let i):
            guard let exact = Self(exactly: i) else { throw Self.mismatch(value) }
            self = exact
        case .attribute(_, let inner):
            self = try Self(fromRESP: inner, encoding: encoding)
        default:
            guard let text = value.string(encoding: .utf8), let parsed = Self(text) else { throw Self.mismatch(value) }
            self = parsed
        }
    }
}

extension Int: RESPValueDecodable {}
extension Int8: RESPValueDecodable {}
extension Int16: RESPValueDecodable {}
extension Int32: RESPValueDecodable {}
extension Int64: RESPValueDecodable {}
extension UInt: RESPValueDecodable {}
extension UInt8: RESPValueDecodable {}
extension UInt16: RESPValueDecodable {}
extension UInt32: RESPValueDecodable {}
extension UInt64: RESPValueDecodable {}
