/// A match of LCS ... IDX: where the common part lies in each of the two strings (inclusive byte ranges).
public struct LCSMatch: Sendable, Hashable {
    /// The matched range in the first key's value.
    public var first: ClosedRange<Int>
    /// The matched range in the second key's value.
    public var second: ClosedRange<Int>
    /// The match's length, when asked for with `withMatchLength`.
    public var length: Int?

    /// A match of `first` and `second`, with its `length` when known.
    public init(first: ClosedRange<Int>, second: ClosedRange<Int>, length: Int? = nil) {
        self.first = first
        self.second = second
        self.length = length
    }
}

// String commands Redis added in 7.0 (LCS, BITFIELD_RO) and SUBSTR, GETRANGE's old name.
extension RedisCommands {
    /// LCS: the longest common subsequence of the values of two keys (Redis 7).
    public func lcs(_ key1: some RedisKeyConvertible, _ key2: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String>
    {
        try send("LCS", [key1, key2], as: String.self, encoding: encoding)
    }

    /// LCS ... LEN: the length of the longest common subsequence (Redis 7).
    public func lcsLength(_ key1: some RedisKeyConvertible, _ key2: some RedisKeyConvertible)
        throws -> RedisCommand<Int>
    {
        try send("LCS", [key1, key2, "LEN"], as: Int.self)
    }

    /// LCS ... IDX: the matches (longest first) and the subsequence's length; `minMatchLength` drops shorter
    /// matches (MINMATCHLEN), `withMatchLength` fills each match's `length` (WITHMATCHLEN) (Redis 7).
    public func lcsMatches(
        _ key1: some RedisKeyConvertible, _ key2: some RedisKeyConvertible, minMatchLength: Int? = nil,
        withMatchLength: Bool = false
    ) throws -> RedisCommand<(matches: [LCSMatch], length: Int)> {
        var arguments: [any RedisArgument] = [key1, key2, "IDX"]
        if let minMatchLength { arguments += ["MINMATCHLEN", minMatchLength] }
        if withMatchLength { arguments.append("WITHMATCHLEN") }
        return try send("LCS", arguments, as: [String: RESPValue].self, encoding: .utf8).map { fields, _ in
            guard let matches = fields["matches"], let length = fields["len"] else {
                throw UnexpectedReplyError("LCS IDX: no matches or len in \(fields.keys.sorted())")
            }
            return (try Redis.items(matches).map(Redis.lcsMatch), try Int(fromRESP: length, encoding: .utf8))
        }
    }

    /// SUBSTR: GETRANGE under its old name.
    public func substr(_ key: some RedisKeyConvertible, start: Int, end: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String>
    {
        renamed(try getrange(key, start: start, end: end, encoding: encoding), "SUBSTR")
    }

    /// BITFIELD_RO: BITFIELD's GET operations only, which a replica may run (Redis 6.2); `gets` are
    /// (type, offset) pairs such as `("u8", 0)`.
    public func bitfieldRO(_ key: some RedisKeyConvertible, gets: [(type: String, offset: Int)])
        throws -> RedisCommand<[Int]>
    {
        guard !gets.isEmpty else { throw InvalidArgumentError("bitfieldRO needs at least one GET") }
        return try send("BITFIELD_RO", [key] + gets.flatMap { ["GET", $0.type, $0.offset] as [any RedisArgument] },
                        as: [Int].self)
    }
}

extension Redis {
    /// One LCS IDX match: `[[start1, end1], [start2, end2]]`, then the length with WITHMATCHLEN.
    static func lcsMatch(_ item: RESPValue) throws -> LCSMatch {
        let parts = try items(item)
        let ranges = try parts.prefix(2).map { try [Int](fromRESP: $0, encoding: .utf8) }
        guard ranges.count == 2, ranges.allSatisfy({ $0.count == 2 && $0[0] <= $0[1] }) else {
            throw UnexpectedReplyError("LCS IDX: unexpected match \(item.preview)")
        }
        let length = parts.count > 2 ? try Int(fromRESP: parts[2], encoding: .utf8) : nil
        return LCSMatch(first: ranges[0][0]...ranges[0][1], second: ranges[1][0]...ranges[1][1], length: length)
    }
}
