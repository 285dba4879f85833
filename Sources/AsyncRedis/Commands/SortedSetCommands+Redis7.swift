/// Which members ZMPOP and BZMPOP pop: the lowest or the highest scores.
public enum ZPopSide: String, Sendable, Hashable {
    /// MIN (lowest scores first) or MAX (highest first).
    case min = "MIN", max = "MAX"
}

// Sorted set commands Redis added in 6.2 and 7.0, aioredis has none of them.
extension RedisCommands {
    /// ZMPOP: up to `count` members with their scores from the first non-empty sorted set of `keys`, with that
    /// set's key; nil when all are empty (Redis 7).
    public func zmpop(_ keys: [any RedisKeyConvertible], _ side: ZPopSide, count: Int? = nil,
                      encoding: RedisEncoding? = nil)
        throws -> RedisCommand<(key: String, members: [(member: String, score: Double)])?>
    {
        try send("ZMPOP", try Redis.multiPopArguments(keys, side.rawValue, count)).encoded(with: encoding)
            .map(Redis.scoredMultiPopReply)
    }

    /// BZMPOP: ZMPOP that waits up to `timeout` (`.zero`: forever) for a set to have members; nil on timeout
    /// (Redis 7).
    public func bzmpop(_ keys: [any RedisKeyConvertible], _ side: ZPopSide, count: Int? = nil,
                       timeout: Duration = .zero, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<(key: String, members: [(member: String, score: Double)])?>
    {
        let arguments = [try Redis.timeoutSeconds(timeout)] + (try Redis.multiPopArguments(keys, side.rawValue, count))
        return try send("BZMPOP", arguments).encoded(with: encoding).map(Redis.scoredMultiPopReply)
    }

    /// ZDIFF: the members of the first set that are in none of the others (Redis 6.2).
    public func zdiff(_ keys: [any RedisKeyConvertible], encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("ZDIFF", try Redis.numberedKeys(keys), as: [String].self, encoding: encoding)
    }

    /// ZDIFF ... WITHSCORES: as `zdiff`, with the first set's scores (Redis 6.2).
    public func zdiffWithScores(_ keys: [any RedisKeyConvertible], encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[(member: String, score: Double)]>
    {
        try scored(send("ZDIFF", try Redis.numberedKeys(keys) + ["WITHSCORES"]), encoding)
    }

    /// ZDIFFSTORE: stores ZDIFF's result in `destination`; the number of members stored (Redis 6.2).
    @discardableResult
    public func zdiffstore(_ destination: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("ZDIFFSTORE", [destination] + (try Redis.numberedKeys(keys)), as: Int.self)
    }

    /// ZINTER: the members in every set, with the scores combined by `aggregate` (Redis 6.2).
    public func zinter(_ keys: [any RedisKeyConvertible], weights: [Double]? = nil, aggregate: ZAggregate? = nil,
                       encoding: RedisEncoding? = nil) throws -> RedisCommand<[(member: String, score: Double)]> {
        try scored(send("ZINTER", try Redis.combineArguments(keys, weights, aggregate)), encoding)
    }

    /// ZUNION: the members in any of the sets, with the scores combined by `aggregate` (Redis 6.2).
    public func zunion(_ keys: [any RedisKeyConvertible], weights: [Double]? = nil, aggregate: ZAggregate? = nil,
                       encoding: RedisEncoding? = nil) throws -> RedisCommand<[(member: String, score: Double)]> {
        try scored(send("ZUNION", try Redis.combineArguments(keys, weights, aggregate)), encoding)
    }

    /// ZINTERCARD: how many members are in every set, counting up to `limit` when given (Redis 7).
    public func zintercard(_ keys: [any RedisKeyConvertible], limit: Int? = nil) throws -> RedisCommand<Int> {
        var arguments = try Redis.numberedKeys(keys)
        if let limit { arguments += ["LIMIT", limit] }
        return try send("ZINTERCARD", arguments, as: Int.self)
    }

    /// ZRANDMEMBER: a random member, nil when the set is empty (Redis 6.2).
    public func zrandmember(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String?>
    {
        try send("ZRANDMEMBER", [key], as: String?.self, encoding: encoding)
    }

    /// ZRANDMEMBER with a count: distinct members when positive, possibly repeated when negative (Redis 6.2).
    public func zrandmember(_ key: some RedisKeyConvertible, count: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("ZRANDMEMBER", [key, count], as: [String].self, encoding: encoding)
    }

    /// ZRANDMEMBER ... WITHSCORES: random members with their scores (Redis 6.2).
    public func zrandmemberWithScores(_ key: some RedisKeyConvertible, count: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[(member: String, score: Double)]>
    {
        try scored(send("ZRANDMEMBER", [key, count, "WITHSCORES"]), encoding)
    }
}

extension Redis {
    /// `numkeys key...`, the start of ZDIFF, ZINTERCARD and friends.
    static func numberedKeys(_ keys: [any RedisKeyConvertible]) throws -> [any RedisArgument] {
        guard !keys.isEmpty else { throw InvalidArgumentError("at least one key is needed") }
        return [keys.count] + keys
    }

    /// `numkeys key... [WEIGHTS w...] [AGGREGATE a] WITHSCORES` for ZINTER and ZUNION.
    static func combineArguments(_ keys: [any RedisKeyConvertible], _ weights: [Double]?, _ aggregate: ZAggregate?)
        throws -> [any RedisArgument]
    {
        // ZINTERSTORE's arguments without the destination.
        Array(try storeArguments("", keys, weights, aggregate).dropFirst()) + ["WITHSCORES"]
    }

    /// `[key, [[member, score]...]]`, or null when nothing was popped.
    static func scoredMultiPopReply(_ reply: RESPValue, _ text: RedisEncoding) throws
        -> (key: String, members: [(member: String, score: Double)])?
    {
        guard let (key, popped) = try keyAndPopped(reply, text) else { return nil }
        return (key, try scoredPairs(popped, text))
    }
}
