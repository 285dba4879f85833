import NIOCore

// Conversions of reply shapes that `RESPValueDecodable` alone does not cover: status lines read as Bool,
// pairs (flat RESP2 arrays, nested RESP3 arrays, RESP3 maps), and scan replies.
extension Redis {
    /// Any status line is true (`OK`, `Background saving started`), `nil` is false, integers are 0/1.
    static func status(_ reply: RESPValue) throws -> Bool {
        switch reply {
        case .simpleString: return true
        case .attribute(_, let inner): return try status(inner)
        default:
            if reply.isNull { return false }
            return try Bool(fromRESP: reply, encoding: .utf8)
        }
    }

    /// The items of an array-like reply; a null reply is empty.
    static func items(_ reply: RESPValue) throws -> [RESPValue] {
        switch reply {
        case .array(.some(let items)), .set(let items), .push(let items): return items
        case .attribute(_, let inner): return try items(inner)
        default:
            if reply.isNull { return [] }
            throw UnexpectedReplyError("expected an array reply, got \(reply.preview)")
        }
    }

    /// Pairs from a flat `[k1, v1, k2, v2]` (RESP2), a nested `[[k1, v1], ...]` (RESP3) or a RESP3 map.
    static func pairs(_ reply: RESPValue) throws -> [(RESPValue, RESPValue)] {
        if case .map(let pairs) = reply { return pairs.map { ($0.key, $0.value) } }
        if case .attribute(_, let inner) = reply { return try pairs(inner) }
        let list = try items(reply)
        var result: [(RESPValue, RESPValue)] = []
        result.reserveCapacity(list.count / 2)
        if !list.isEmpty, list.allSatisfy({ if case .array(.some(let p)) = $0 { return p.count == 2 } else { return false } }) {
            for case .array(.some(let pair)) in list { result.append((pair[0], pair[1])) }
            return result
        }
        guard list.count % 2 == 0 else {
            throw UnexpectedReplyError("expected pairs, got an odd-length reply \(reply.preview)")
        }
        var index = 0
        while index < list.count {
            result.append((list[index], list[index + 1]))
            index += 2
        }
        return result
    }

    static func decodePairs<K: RESPValueDecodable, V: RESPValueDecodable>(
        _ reply: RESPValue, encoding: RedisEncoding, _: K.Type, _: V.Type
    ) throws -> [(K, V)] {
        try pairs(reply).map { (try K(fromRESP: $0.0, encoding: encoding), try V(fromRESP: $0.1, encoding: encoding)) }
    }

    /// A SCAN-family reply: `[cursor, [items...]]`.
    static func scanReply(_ reply: RESPValue) throws -> (cursor: Int, items: RESPValue) {
        let parts = try items(reply)
        guard parts.count == 2 else { throw UnexpectedReplyError("expected [cursor, items], got \(reply.preview)") }
        return (try Int(fromRESP: parts[0], encoding: .utf8), parts[1])
    }

    /// `MATCH`/`COUNT`/`TYPE` options of the SCAN family, skipping those not given.
    static func scanOptions(match: String?, count: Int?, type: String? = nil) -> [any RedisArgument] {
        var arguments: [any RedisArgument] = []
        if let match { arguments += ["MATCH", match] }
        if let count { arguments += ["COUNT", count] }
        if let type { arguments += ["TYPE", type] }
        return arguments
    }
}
