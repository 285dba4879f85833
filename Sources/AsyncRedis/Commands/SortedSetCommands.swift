import NIOCore

/// A score bound of ZCOUNT, ZRANGEBYSCORE and friends: `1.5` (inclusive), `(1.5` (exclusive), `-inf`, `+inf`.
/// A number literal is an inclusive bound.
public enum ScoreBound: RedisArgument, Hashable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// `score`: the score itself is included.
    case inclusive(Double)
    /// `(score`: the score itself is excluded.
    case exclusive(Double)
    /// `-inf`.
    case negativeInfinity
    /// `+inf`.
    case positiveInfinity

    public init(floatLiteral value: Double) { self = .inclusive(value) }

    /// A score as Redis parses it, the same spelling `Double`'s argument encoding uses.
    static func spell(_ value: Double) -> String {
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
    public init(integerLiteral value: Int) { self = .inclusive(Double(value)) }

    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        switch self {
        case .inclusive(let value): value.writeRESPBulk(into: &buffer)
        case .exclusive(let value): ("(" + Self.spell(value)).writeRESPBulk(into: &buffer)
        case .negativeInfinity: "-inf".writeRESPBulk(into: &buffer)
        case .positiveInfinity: "+inf".writeRESPBulk(into: &buffer)
        }
    }
}

/// A lexicographical bound of ZRANGEBYLEX and friends: `[a` (inclusive), `(a` (exclusive), `-`, `+`.
public enum LexBound: RedisArgument, Hashable, ExpressibleByStringLiteral {
    /// `[member`: included.
    case inclusive(String)
    /// `(member`: excluded.
    case exclusive(String)
    /// `-`: before every member.
    case min
    /// `+`: after every member.
    case max

    /// A string literal is an inclusive bound.
    public init(stringLiteral value: String) { self = .inclusive(value) }

    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        switch self {
        case .inclusive(let value): ("[" + value).writeRESPBulk(into: &buffer)
        case .exclusive(let value): ("(" + value).writeRESPBulk(into: &buffer)
        case .min: "-".writeRESPBulk(into: &buffer)
        case .max: "+".writeRESPBulk(into: &buffer)
        }
    }
}

/// ZADD's GT/LT.
public enum ScoreComparison: String, Sendable, Hashable {
    /// GT: only update when the new score is greater.
    case greaterThan = "GT"
    /// LT: only update when the new score is less.
    case lessThan = "LT"
}

/// How ZUNIONSTORE/ZINTERSTORE combine the scores of a member.
public enum ZAggregate: String, Sendable, Hashable {
    /// SUM, MIN or MAX of the scores.
    case sum = "SUM", min = "MIN", max = "MAX"
}

// Sorted set commands, aioredis `SortedSetCommandsMixin`.
extension RedisCommands {
    /// ZADD one member: the number added (or changed, with `changed`).
    @discardableResult
    public func zadd(
        _ key: some RedisKeyConvertible, score: Double, member: some RedisArgument, exist: SetCondition? = nil,
        comparison: ScoreComparison? = nil, changed: Bool = false
    ) throws -> RedisCommand<Int> {
        try zadd(key, [(score, member)], exist: exist, comparison: comparison, changed: changed)
    }

    /// ZADD many (score, member) pairs: the number added, or with `changed` (CH) the number added or updated.
    @discardableResult
    public func zadd(
        _ key: some RedisKeyConvertible, _ members: [(score: Double, member: any RedisArgument)],
            exist: SetCondition? = nil,
        comparison: ScoreComparison? = nil, changed: Bool = false
    ) throws -> RedisCommand<Int> {
        guard !members.isEmpty else { throw InvalidArgumentError("zadd needs at least one member") }
        var arguments = try Redis.zaddOptions(key, exist: exist, comparison: comparison)
        if changed { arguments.append("CH") }
        for (score, member) in members {
            arguments.append(score)
            arguments.append(member)
        }
        return try send("ZADD", arguments, as: Int.self)
    }

    /// ZADD ... INCR: the member's new score, nil when NX/XX/GT/LT prevented the update.
    @discardableResult
    public func zaddIncr(
        _ key: some RedisKeyConvertible, increment: Double, member: some RedisArgument, exist: SetCondition? = nil,
        comparison: ScoreComparison? = nil
    ) throws -> RedisCommand<Double?> {
        var arguments = try Redis.zaddOptions(key, exist: exist, comparison: comparison)
        arguments += ["INCR", increment, member]
        return try send("ZADD", arguments, as: Double?.self)
    }

    /// ZCARD: the number of members.
    public func zcard(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("ZCARD", [key], as: Int.self)
    }

    /// ZCOUNT of members with a score between `min` and `max`.
    public func zcount(_ key: some RedisKeyConvertible, min: ScoreBound = .negativeInfinity,
            max: ScoreBound = .positiveInfinity)
        throws -> RedisCommand<Int>
    {
        try send("ZCOUNT", [key, min, max], as: Int.self)
    }

    /// ZINCRBY: the member's new score.
    @discardableResult
    public func zincrby(_ key: some RedisKeyConvertible, _ increment: Double, _ member: some RedisArgument)
        throws -> RedisCommand<Double>
    {
        try send("ZINCRBY", [key, increment, member], as: Double.self)
    }

    /// ZINTERSTORE: the size of the result. `weights`, when given, has one weight per key.
    @discardableResult
    public func zinterstore(_ destination: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible],
            weights: [Double]? = nil,
                            aggregate: ZAggregate? = nil) throws -> RedisCommand<Int> {
        try send("ZINTERSTORE", try Redis.storeArguments(destination, keys, weights, aggregate), as: Int.self)
    }

    /// ZUNIONSTORE: stores the union of sets; returns its size.
    @discardableResult
    public func zunionstore(_ destination: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible],
            weights: [Double]? = nil,
                            aggregate: ZAggregate? = nil) throws -> RedisCommand<Int> {
        try send("ZUNIONSTORE", try Redis.storeArguments(destination, keys, weights, aggregate), as: Int.self)
    }

    /// ZLEXCOUNT: members between two lexicographical bounds.
    public func zlexcount(_ key: some RedisKeyConvertible, min: LexBound = .min, max: LexBound = .max)
        throws -> RedisCommand<Int>
    {
        try send("ZLEXCOUNT", [key, min, max], as: Int.self)
    }

    /// ZMSCORE: one score per member, nil where absent.
    public func zmscore(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: any RedisArgument...)
        throws -> RedisCommand<[Double?]>
    {
        try zmscoreListForm(key, member, members)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func zmscoreListForm(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: [any RedisArgument])
        throws -> RedisCommand<[Double?]>
    {
        try send("ZMSCORE", [key, member] + members, as: [Double?].self)
    }

    /// ZPOPMIN: up to `count` (member, score) pairs, lowest first.
    @discardableResult
    public func zpopmin(_ key: some RedisKeyConvertible, count: Int? = nil, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[(member: String, score: Double)]>
    {
        try scored(send("ZPOPMIN", [key] + (count.map { [$0] } ?? [])), encoding)
    }

    /// ZPOPMAX of up to `count` members, highest score first.
    @discardableResult
    public func zpopmax(_ key: some RedisKeyConvertible, count: Int? = nil, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[(member: String, score: Double)]>
    {
        try scored(send("ZPOPMAX", [key] + (count.map { [$0] } ?? [])), encoding)
    }

    /// ZRANGE by index (both ends inclusive, negative from the end).
    public func zrange(_ key: some RedisKeyConvertible, _ start: Int = 0, _ stop: Int = -1,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("ZRANGE", [key, start, stop], as: [String].self, encoding: encoding)
    }

    /// ZRANGE ... WITHSCORES.
    public func zrangeWithScores(_ key: some RedisKeyConvertible, _ start: Int = 0, _ stop: Int = -1,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[(member: String, score: Double)]>
    {
        try scored(send("ZRANGE", [key, start, stop, "WITHSCORES"]), encoding)
    }

    /// ZREVRANGE as text, highest score first.
    public func zrevrange(_ key: some RedisKeyConvertible, _ start: Int = 0, _ stop: Int = -1,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("ZREVRANGE", [key, start, stop], as: [String].self, encoding: encoding)
    }

    /// ZREVRANGE WITHSCORES, highest score first.
    public func zrevrangeWithScores(_ key: some RedisKeyConvertible, _ start: Int = 0, _ stop: Int = -1,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[(member: String, score: Double)]>
    {
        try scored(send("ZREVRANGE", [key, start, stop, "WITHSCORES"]), encoding)
    }

    /// ZRANGEBYLEX between `min` and `max`.
    public func zrangebylex(_ key: some RedisKeyConvertible, min: LexBound = .min, max: LexBound = .max,
                            limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("ZRANGEBYLEX", [key, min, max] + Redis.limitArguments(limit), as: [String].self,
                       encoding: encoding)
    }

    /// ZREVRANGEBYLEX from `max` down to `min`.
    public func zrevrangebylex(_ key: some RedisKeyConvertible, max: LexBound = .max, min: LexBound = .min,
                               limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("ZREVRANGEBYLEX", [key, max, min] + Redis.limitArguments(limit), as: [String].self,
                       encoding: encoding)
    }

    /// ZRANGEBYSCORE between `min` and `max`.
    public func zrangebyscore(_ key: some RedisKeyConvertible, min: ScoreBound = .negativeInfinity,
            max: ScoreBound = .positiveInfinity,
                              limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("ZRANGEBYSCORE", [key, min, max] + Redis.limitArguments(limit), as: [String].self,
                       encoding: encoding)
    }

    /// ZRANGEBYSCORE WITHSCORES.
    public func zrangebyscoreWithScores(
        _ key: some RedisKeyConvertible, min: ScoreBound = .negativeInfinity, max: ScoreBound = .positiveInfinity,
        limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[(member: String, score: Double)]> {
        try scored(send("ZRANGEBYSCORE", [key, min, max, "WITHSCORES"] + Redis.limitArguments(limit)), encoding)
    }

    /// ZREVRANGEBYSCORE from `max` down to `min`.
    public func zrevrangebyscore(
        _ key: some RedisKeyConvertible, max: ScoreBound = .positiveInfinity, min: ScoreBound = .negativeInfinity,
        limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[String]> {
        try send("ZREVRANGEBYSCORE", [key, max, min] + Redis.limitArguments(limit), as: [String].self,
                       encoding: encoding)
    }

    /// ZREVRANGEBYSCORE WITHSCORES, highest score first.
    public func zrevrangebyscoreWithScores(
        _ key: some RedisKeyConvertible, max: ScoreBound = .positiveInfinity, min: ScoreBound = .negativeInfinity,
        limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[(member: String, score: Double)]> {
        try scored(
            send("ZREVRANGEBYSCORE", [key, max, min, "WITHSCORES"] + Redis.limitArguments(limit)), encoding)
    }

    /// ZRANGESTORE by index: the size of the stored range.
    @discardableResult
    public func zrangestore(_ destination: some RedisKeyConvertible, _ source: some RedisKeyConvertible, _ start: Int,
            _ stop: Int)
        throws -> RedisCommand<Int>
    {
        try send("ZRANGESTORE", [destination, source, start, stop], as: Int.self)
    }

    /// ZRANGESTORE by score (BYSCORE): the size of the stored range.
    @discardableResult
    public func zrangestore(_ destination: some RedisKeyConvertible, _ source: some RedisKeyConvertible,
            min: ScoreBound, max: ScoreBound,
                            limit: (offset: Int, count: Int)? = nil) throws -> RedisCommand<Int> {
        try send("ZRANGESTORE", [destination, source, min, max, "BYSCORE"] + Redis.limitArguments(limit),
                       as: Int.self)
    }

    /// ZRANK: the 0-based rank by ascending score, nil when the member is absent.
    public func zrank(_ key: some RedisKeyConvertible, _ member: some RedisArgument) throws -> RedisCommand<Int?> {
        try send("ZRANK", [key, member], as: Int?.self)
    }

    /// ZREVRANK: the rank from the highest score; nil for a missing member.
    public func zrevrank(_ key: some RedisKeyConvertible, _ member: some RedisArgument) throws -> RedisCommand<Int?> {
        try send("ZREVRANK", [key, member], as: Int?.self)
    }

    /// ZREM: removes members; returns how many were there.
    @discardableResult
    public func zrem(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: any RedisArgument...)
        throws -> RedisCommand<Int>
    {
        try zremListForm(key, member, members)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func zremListForm(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: [any RedisArgument])
        throws -> RedisCommand<Int>
    {
        try zrem(key, members: [member] + members)
    }

    /// ZREM of a collection of members.
    @discardableResult
    public func zrem(_ key: some RedisKeyConvertible, members: [any RedisArgument]) throws -> RedisCommand<Int> {
        try send("ZREM", [key] + (try Redis.nonEmpty(members, "zrem")), as: Int.self)
    }

    /// ZREMRANGEBYLEX: removes members between two bounds; returns how many.
    @discardableResult
    public func zremrangebylex(_ key: some RedisKeyConvertible, min: LexBound, max: LexBound)
        throws -> RedisCommand<Int>
    {
        try send("ZREMRANGEBYLEX", [key, min, max], as: Int.self)
    }

    /// ZREMRANGEBYRANK: removes members by rank; returns how many.
    @discardableResult
    public func zremrangebyrank(_ key: some RedisKeyConvertible, _ start: Int, _ stop: Int)
        throws -> RedisCommand<Int>
    {
        try send("ZREMRANGEBYRANK", [key, start, stop], as: Int.self)
    }

    /// ZREMRANGEBYSCORE: removes members between two scores; returns how many.
    @discardableResult
    public func zremrangebyscore(_ key: some RedisKeyConvertible, min: ScoreBound, max: ScoreBound)
        throws -> RedisCommand<Int>
    {
        try send("ZREMRANGEBYSCORE", [key, min, max], as: Int.self)
    }

    /// ZSCORE, nil when the member is absent.
    public func zscore(_ key: some RedisKeyConvertible, _ member: some RedisArgument) throws -> RedisCommand<Double?> {
        try send("ZSCORE", [key, member], as: Double?.self)
    }

    /// ZSCAN, one step. `izscan` follows the cursor.
    public func zscan(
        _ key: some RedisKeyConvertible, cursor: Int = 0, match: String? = nil, count: Int? = nil,
            encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(cursor: Int, items: [(member: String, score: Double)])> {
        try send("ZSCAN", [key, cursor] + Redis.scanOptions(match: match, count: count)).encoded(with: encoding)
            .map { raw, text in
                let reply = try Redis.scanReply(raw)
                return (reply.cursor, try Redis.scoredPairs(reply.items, text))
            }
    }

    /// A WITHSCORES command whose reply becomes (member, score) pairs.
    func scored(_ command: RedisCommand<RESPValue>, _ encoding: RedisEncoding?)
        -> RedisCommand<[(member: String, score: Double)]>
    {
        command.encoded(with: encoding).map { reply, text in try Redis.scoredPairs(reply, text) }
    }
}

extension Redis {

    static func zaddOptions(_ key: any RedisKeyConvertible, exist: SetCondition?, comparison: ScoreComparison?) throws
        -> [any RedisArgument]
    {
        if exist == .ifNotExists, comparison != nil {
            throw InvalidArgumentError("zadd: GT/LT cannot be combined with NX")
        }
        var arguments: [any RedisArgument] = [key]
        if let exist { arguments.append(exist.keyword) }
        if let comparison { arguments.append(comparison.rawValue) }
        return arguments
    }

    static func storeArguments(_ destination: any RedisKeyConvertible, _ keys: [any RedisKeyConvertible],
        _ weights: [Double]?,
                               _ aggregate: ZAggregate?) throws -> [any RedisArgument] {
        guard !keys.isEmpty else { throw InvalidArgumentError("at least one key is needed") }
        var arguments: [any RedisArgument] = [destination, keys.count] + keys
        if let weights {
            guard weights.count == keys.count else {
                throw InvalidArgumentError("\(weights.count) weights given for \(keys.count) keys")
            }
            arguments.append("WEIGHTS")
            arguments += weights as [any RedisArgument]
        }
        if let aggregate { arguments += ["AGGREGATE", aggregate.rawValue] }
        return arguments
    }

    /// (member, score) pairs of a WITHSCORES reply, flat (RESP2) or nested (RESP3).
    static func scoredPairs(_ reply: RESPValue, _ text: RedisEncoding) throws -> [(member: String, score: Double)] {
        try decodePairs(reply, encoding: text, String.self, Double.self).map { (member: $0.0, score: $0.1) }
    }

    static func limitArguments(_ limit: (offset: Int, count: Int)?) -> [any RedisArgument] {
        limit.map { ["LIMIT", $0.offset, $0.count] } ?? []
    }
}

extension RedisCommands {
    /// BZPOPMIN: waits up to `timeout` (`.zero`: forever; sent as fractional seconds); nil on timeout.
    public func bzpopmin(
        _ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible..., timeout: Duration = .zero,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(key: String, member: String, score: Double)?> {
        try bzpopminListForm(key, keys, timeout: timeout, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func bzpopminListForm(
        _ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible], timeout: Duration = .zero,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(key: String, member: String, score: Double)?> {
        try blockingZPop("BZPOPMIN", [key] + keys, timeout: timeout, encoding: encoding)
    }

    /// BZPOPMAX: waits up to `timeout` (`.zero`: forever) for the highest member of the first non-empty set.
    public func bzpopmax(
        _ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible..., timeout: Duration = .zero,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(key: String, member: String, score: Double)?> {
        try bzpopmaxListForm(key, keys, timeout: timeout, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func bzpopmaxListForm(
        _ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible], timeout: Duration = .zero,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(key: String, member: String, score: Double)?> {
        try blockingZPop("BZPOPMAX", [key] + keys, timeout: timeout, encoding: encoding)
    }

    private func blockingZPop(
        _ command: String, _ keys: [any RedisKeyConvertible], timeout: Duration, encoding: RedisEncoding?
    ) throws -> RedisCommand<(key: String, member: String, score: Double)?> {
        try send(command, keys + [try Redis.timeoutSeconds(timeout)] as [any RedisArgument]).encoded(with: encoding)
            .map { reply, text in
                if reply.isNull { return nil }
                let parts = try Redis.items(reply)
                guard parts.count == 3 else { throw UnexpectedReplyError("\(command) answered \(reply.preview)") }
                return (key: try String(fromRESP: parts[0], encoding: text),
                        member: try String(fromRESP: parts[1], encoding: text),
                        score: try Double(fromRESP: parts[2], encoding: text))
            }
    }
}
