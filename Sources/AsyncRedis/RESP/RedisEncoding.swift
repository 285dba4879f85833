import NIOCore

/// The codec used when a reply's bytes are decoded as `String` (aioredis's `encoding`).
public enum RedisEncoding: String, Sendable, Hashable, CaseIterable {
    /// UTF-8.
    case utf8 = "utf-8"
    /// ASCII: bytes above 127 fail to decode.
    case ascii = "ascii"
    /// ISO 8859-1: every byte is a character.
    case latin1 = "latin-1"

    /// Accepts the names Python and Redis URIs use: `utf-8`, `utf8`, `UTF-8`, `ascii`, `latin-1`, `latin1`, `iso-8859-1`.
    public init?(name: String) {
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "utf-8", "utf8": self = .utf8
        case "ascii", "us-ascii": self = .ascii
        case "latin-1", "latin1", "iso-8859-1": self = .latin1
        default: return nil
        }
    }

    /// Decodes bytes, or `nil` when they are not valid in this encoding.
    public func decode(_ buffer: ByteBuffer) -> String? {
        buffer.withUnsafeReadableBytes { bytes in
            switch self {
            case .utf8:
                return String(validating: bytes, as: UTF8.self)
            case .ascii:
                guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                return String(decoding: bytes, as: UTF8.self)
            case .latin1:
                return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
            }
        }
    }

    /// Encodes text into bytes, or `nil` when a character cannot be represented.
    public func encode(_ string: String, into buffer: inout ByteBuffer) -> Int? {
        switch self {
        case .utf8:
            return buffer.writeString(string)
        case .ascii:
            guard string.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            return buffer.writeString(string)
        case .latin1:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(string.unicodeScalars.count)
            for scalar in string.unicodeScalars {
                guard scalar.value < 0x100 else { return nil }
                bytes.append(UInt8(scalar.value))
            }
            return buffer.writeBytes(bytes)
        }
    }
}
