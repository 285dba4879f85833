import NIOCore

extension RESPValue {
    /// The reply as a RESP2 server sends it: the cache reads over RESP3 (for the invalidation pushes), but a
    /// caller on RESP2 must get the same shapes from a hit as from the server (a map as a flat array, a double as
    /// its text, a null as a nil bulk string).
    var resp2Shaped: RESPValue {
        switch self {
        case .null: return .bulkString(nil)
        case .map(let pairs): return .array(pairs.flatMap { [$0.key.resp2Shaped, $0.value.resp2Shaped] })
        case .set(let items), .push(let items): return .array(items.map(\.resp2Shaped))
        case .array(.some(let items)): return .array(items.map(\.resp2Shaped))
        case .double(let value): return .bulkString(ByteBuffer(string: Self.resp2Text(value)))
        case .boolean(let value): return .integer(value ? 1 : 0)
        case .bigNumber(let text): return .bulkString(ByteBuffer(string: text))
        case .verbatimString(_, let bytes): return .bulkString(bytes)
        case .attribute(_, let value): return value.resp2Shaped
        case .simpleString, .error, .integer, .bulkString, .array(nil): return self
        }
    }

    /// A double as RESP2 replies spell it: whole numbers without a fraction, infinities as `inf`/`-inf`.
    private static func resp2Text(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension RESPValue {
    /// The reply with every payload copied into storage of its own. A parsed reply's bytes are slices of the
    /// buffer they were read into: kept as they are, one cached 3-byte value could hold a whole read's buffer.
    var compacted: RESPValue {
        switch self {
        case .simpleString(let bytes): return .simpleString(ByteBuffer(bytes: bytes.readableBytesView))
        case .error(let bytes): return .error(ByteBuffer(bytes: bytes.readableBytesView))
        case .bulkString(.some(let bytes)): return .bulkString(ByteBuffer(bytes: bytes.readableBytesView))
        case .verbatimString(let format, let bytes):
            return .verbatimString(format: format, ByteBuffer(bytes: bytes.readableBytesView))
        case .array(.some(let items)): return .array(items.map(\.compacted))
        case .set(let items): return .set(items.map(\.compacted))
        case .push(let items): return .push(items.map(\.compacted))
        case .map(let pairs): return .map(pairs.map { RESPPair(key: $0.key.compacted, value: $0.value.compacted) })
        case .attribute(let pairs, let value):
            return .attribute(pairs.map { RESPPair(key: $0.key.compacted, value: $0.value.compacted) }, value.compacted)
        case .integer, .bulkString(nil), .array(nil), .null, .double, .boolean, .bigNumber: return self
        }
    }
}
