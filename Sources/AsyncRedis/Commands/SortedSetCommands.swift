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
extension Redis {
    /// ZADD one member: the number added (or changed, with `changed`).
    @discardableResult
    public func zadd(
        _ key: String, score: Double, member: some RedisArgument, exist: SetCondition? = nil,
        comparison: ScoreComparison? = nil, changed: Bool = false
    ) async throws -> Int {
        try await zadd(key, [(score, member)], exist: exist, comparison: comparison, changed: changed)
    }

    /// ZADD many (score, member) pairs: the number added, or with `changed` (CH) the number added or updated.
    @discardableResult
    public func zadd(
        _ key: String, _ members: [(score: Double, member: any RedisArgument)], exist: SetCondition? = nil,
        comparison: ScoreComparison? = nil, changed: Bool = false
    ) async throws -> Int {
        guard !members.isEmpty else { throw InvalidArgumentError("zadd needs at least one member") }
        var arguments = try Self.zaddOptions(key, exist: exist, comparison: comparison)
        if changed { arguments.append("CH") }
        for (score, member) in members {
            arguments.append(score)
            arguments.append(member)
        }
        return try await send("ZADD", arguments, as: Int.self)
    }

    /// ZADD ... INCR: the member's new score, nil when NX/XX/GT/LT prevented the update.
    @discardableResult
    public func zaddIncr(
        _ key: String, increment: Double, member: some RedisArgument, exist: SetCondition? = nil,
        comparison: ScoreComparison? = nil
    ) async throws -> Double? {
        var arguments = try Self.zaddOptions(key, exist: exist, comparison: comparison)
        arguments += ["INCR", increment, member]
        return try await send("ZADD", arguments, as: Double?.self)
    }

    static func zaddOptions(_ key: String, exist: SetCondition?, comparison: ScoreComparison?) throws
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

    /// ZCARD: the number of members.
    public func zcard(_ key: String) async throws -> Int {
        try await send("ZCARD", [key], as: Int.self)
    }

    /// ZCOUNT of members with a score between `min` and `max`.
    public func zcount(_ key: String, min: ScoreBound = .negativeInfinity, max: ScoreBound = .positiveInfinity)
        async throws -> Int
    {
        try await send("ZCOUNT", [key, min, max], as: Int.self)
    }

    /// ZINCRBY: the member's new score.
    @discardableResult
    public func zincrby(_ key: String, _ increment: Double, _ member: some RedisArgument) async throws -> Double {
        try await send("ZINCRBY", [key, increment, member], as: Double.self)
    }

    /// ZINTERSTORE: the size of the result. `weights`, when given, has one weight per key.
    @discardableResult
    public func zinterstore(_ destination: String, _ keys: [String], weights: [Double]? = nil,
                            aggregate: ZAggregate? = nil) async throws -> Int {
        try await send("ZINTERSTORE", try Self.storeArguments(destination, keys, weights, aggregate), as: Int.self)
    }

    /// ZUNIONSTORE: stores the union of sets; returns its size.
    @discardableResult
    public func zunionstore(_ destination: String, _ keys: [String], weights: [Double]? = nil,
                            aggregate: ZAggregate? = nil) async throws -> Int {
        try await send("ZUNIONSTORE", try Self.storeArguments(destination, keys, weights, aggregate), as: Int.self)
    }

    static func storeArguments(_ destination: String, _ keys: [String], _ weights: [Double]?,
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

    /// ZLEXCOUNT: members between two lexicographical bounds.
    public func zlexcount(_ key: String, min: LexBound = .min, max: LexBound = .max) async throws -> Int {
        try await send("ZLEXCOUNT", [key, min, max], as: Int.self)
    }

    /// ZMSCORE: one score per member, nil where absent.
    public func zmscore(_ key: String, _ member: any RedisArgument, _ members: any RedisArgument...)
        async throws -> [Double?]
    {
        try await send("ZMSCORE", [key, member] + members, as: [Double?].self)
    }

    /// ZPOPMIN: up to `count` (member, score) pairs, lowest first.
    @discardableResult
    public func zpopmin(_ key: String, count: Int? = nil, encoding: RedisEncoding? = nil)
        async throws -> [(member: String, score: Double)]
    {
        try await scored(send("ZPOPMIN", [key] + (count.map { [$0] } ?? [])), encoding)
    }

    /// ZPOPMAX of up to `count` members, highest score first.
    @discardableResult
    public func zpopmax(_ key: String, count: Int? = nil, encoding: RedisEncoding? = nil)
        async throws -> [(member: String, score: Double)]
    {
        try await scored(send("ZPOPMAX", [key] + (count.map { [$0] } ?? [])), encoding)
    }

    /// BZPOPMIN: waits up to `timeout` (`.zero`: forever; sent as fractional seconds); nil on timeout.
    public func bzpopmin(_ key: String, _ keys: String..., timeout: Duration = .zero, encoding: RedisEncoding? = nil)
        async throws -> (key: String, member: String, score: Double)?
    {
        try await blockingZPop("BZPOPMIN", [key] + keys, timeout: timeout, encoding: encoding)
    }

    /// BZPOPMAX: waits up to `timeout` (`.zero`: forever) for the highest member of the first non-empty set.
    public func bzpopmax(_ key: String, _ keys: String..., timeout: Duration = .zero, encoding: RedisEncoding? = nil)
        async throws -> (key: String, member: String, score: Double)?
    {
        try await blockingZPop("BZPOPMAX", [key] + keys, timeout: timeout, encoding: encoding)
    }

    private func blockingZPop(_ command: String, _ keys: [String], timeout: Duration, encoding: RedisEncoding?)
        async throws -> (key: String, member: String, score: Double)?
    {
        let reply = try await send(command, keys + [try Self.timeoutSeconds(timeout)] as [any RedisArgument])
        if reply.isNull { return nil }
        let parts = try Self.items(reply)
        guard parts.count == 3 else { throw UnexpectedReplyError("\(command) answered \(reply.preview)") }
        let text = textEncoding(encoding)
        return (key: try String(fromRESP: parts[0], encoding: text),
                member: try String(fromRESP: parts[1], encoding: text),
                score: try Double(fromRESP: parts[2], encoding: text))
    }

    /// (member, score) pairs of a WITHSCORES reply, flat (RESP2) or nested (RESP3).
    func scored(_ reply: RESPValue, _ encoding: RedisEncoding?) throws -> [(member: String, score: Double)] {
        try Self.decodePairs(reply, encoding: textEncoding(encoding), String.self, Double.self)
            .map { (member: $0.0, score: $0.1) }
    }

    /// ZRANGE by index (both ends inclusive, negative from the end).
    public func zrange(_ key: String, _ start: Int = 0, _ stop: Int = -1, encoding: RedisEncoding? = nil)
        async throws -> [String]
    {
        try await send("ZRANGE", [key, start, stop], as: [String].self, encoding: encoding)
    }

    /// ZRANGE ... WITHSCORES.
    public func zrangeWithScores(_ key: String, _ start: Int = 0, _ stop: Int = -1, encoding: RedisEncoding? = nil)
        async throws -> [(member: String, score: Double)]
    {
        try await scored(send("ZRANGE", [key, start, stop, "WITHSCORES"]), encoding)
    }

    /// ZREVRANGE as text, highest score first.
    public func zrevrange(_ key: String, _ start: Int = 0, _ stop: Int = -1, encoding: RedisEncoding? = nil)
        async throws -> [String]
    {
        try await send("ZREVRANGE", [key, start, stop], as: [String].self, encoding: encoding)
    }

    /// ZREVRANGE WITHSCORES, highest score first.
    public func zrevrangeWithScores(_ key: String, _ start: Int = 0, _ stop: Int = -1, encoding: RedisEncoding? = nil)
        async throws -> [(member: String, score: Double)]
    {
        try await scored(send("ZREVRANGE", [key, start, stop, "WITHSCORES"]), encoding)
    }

    static func limitArguments(_ limit: (offset: Int, count: Int)?) -> [any RedisArgument] {
        limit.map { ["LIMIT", $0.offset, $0.count] } ?? []
    }

    /// ZRANGEBYLEX between `min` and `max`.
    public func zrangebylex(_ key: String, min: LexBound = .min, max: LexBound = .max,
                            limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil)
        async throws -> [String]
    {
        try await send("ZRANGEBYLEX", [key, min, max] + Self.limitArguments(limit), as: [String].self,
                       encoding: encoding)
    }

    /// ZREVRANGEBYLEX from `max` down to `min`.
    public func zrevrangebylex(_ key: String, max: LexBound = .max, min: LexBound = .min,
                               limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil)
        async throws -> [String]
    {
        try await send("ZREVRANGEBYLEX", [key, max, min] + Self.limitArguments(limit), as: [String].self,
                       encoding: encoding)
    }

    /// ZRANGEBYSCORE between `min` and `max`.
    public func zrangebyscore(_ key: String, min: ScoreBound = .negativeInfinity, max: ScoreBound = .positiveInfinity,
                              limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil)
        async throws -> [String]
    {
        try await send("ZRANGEBYSCORE", [key, min, max] + Self.limitArguments(limit), as: [String].self,
                       encoding: encoding)
    }

    /// ZRANGEBYSCORE WITHSCORES.
    public func zrangebyscoreWithScores(
        _ key: String, min: ScoreBound = .negativeInfinity, max: ScoreBound = .positiveInfinity,
        limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil
    ) async throws -> [(member: String, score: Double)] {
        try await scored(send("ZRANGEBYSCORE", [key, min, max, "WITHSCORES"] + Self.limitArguments(limit)), encoding)
    }

    /// ZREVRANGEBYSCORE from `max` down to `min`.
    public func zrevrangebyscore(
        _ key: String, max: ScoreBound = .positiveInfinity, min: ScoreBound = .negativeInfinity,
        limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil
    ) async throws -> [String] {
        try await send("ZREVRANGEBYSCORE", [key, max, min] + Self.limitArguments(limit), as: [String].self,
                       encoding: encoding)
    }

    /// ZREVRANGEBYSCORE WITHSCORES, highest score first.
    public func zrevrangebyscoreWithScores(
        _ key: String, max: ScoreBound = .positiveInfinity, min: ScoreBound = .negativeInfinity,
        limit: (offset: Int, count: Int)? = nil, encoding: RedisEncoding? = nil
    ) async throws -> [(member: String, score: Double)] {
        try await scored(
            send("ZREVRANGEBYSCORE", [key, max, min, "WITHSCORES"] + Self.limitArguments(limit)), encoding)
    }

    /// ZRANGESTORE by index: the size of the stored range.
    @discardableResult
    public func zrangestore(_ destination: String, _ source: String, _ start: Int, _ stop: Int) async throws -> Int {
        try await send("ZRANGESTORE", [destination, source, start, stop], as: Int.self)
    }

    /// ZRANGESTORE by score (BYSCORE): the size of the stored range.
    @discardableResult
    public func zrangestore(_ destination: String, _ source: String, min: ScoreBound, max: ScoreBound,
                            limit: (offset: Int, count: Int)? = nil) async throws -> Int {
        try await send("ZRANGESTORE", [destination, source, min, max, "BYSCORE"] + Self.limitArguments(limit),
                       as: Int.self)
    }

    /// ZRANK: the 0-based rank by ascending score, nil when the member is absent.
    public func zrank(_ key: String, _ member: some RedisArgument) async throws -> Int? {
        try await send("ZRANK", [key, member], as: Int?.self)
    }

    /// ZREVRANK: the rank from the highest score; nil for a missing member.
    public func zrevrank(_ key: String, _ member: some RedisArgument) async throws -> Int? {
        try await send("ZREVRANK", [key, member], as: Int?.self)
    }

    /// ZREM: removes members; returns how many were there.
    @discardableResult
    public func zrem(_ key: String, _ member: any RedisArgument, _ members: any RedisArgument...) async throws -> Int {
        try await zrem(key, members: [member] + members)
    }

    /// ZREM of a collection of members.
    @discardableResult
    public func zrem(_ key: String, members: [any RedisArgument]) async throws -> Int {
        try await send("ZREM", [key] + (try Self.nonEmpty(members, "zrem")), as: Int.self)
    }

    /// ZREMRANGEBYLEX: removes members between two bounds; returns how many.
    @discardableResult
    public func zremrangebylex(_ key: String, min: LexBound, max: LexBound) async throws -> Int {
        try await send("ZREMRANGEBYLEX", [key, min, max], as: Int.self)
    }

    /// ZREMRANGEBYRANK: removes members by rank; returns how many.
    @discardableResult
    public func zremrangebyrank(_ key: String, _ start: Int, _ stop: Int) async throws -> Int {
        try await send("ZREMRANGEBYRANK", [key, start, stop], as: Int.self)
    }

    /// ZREMRANGEBYSCORE: removes members between two scores; returns how many.
    @discardableResult
    public func zremrangebyscore(_ key: String, min: ScoreBound, max: ScoreBound) async throws -> Int {
        try await send("ZREMRANGEBYSCORE", [key, min, max], as: Int.self)
    }

    /// ZSCORE, nil when the member is absent.
    public func zscore(_ key: String, _ member: some RedisArgument) async throws -> Double? {
        try await send("ZSCORE", [key, member], as: Double?.self)
    }

    /// One ZSCAN step. `izscan` follows the cursor.
    public func zscan(
        _ key: String, cursor: Int = 0, match: String? = nil, count: Int? = nil, encoding: RedisEncoding? = nil
    ) async throws -> (cursor: Int, items: [(member: String, score: Double)]) {
        let reply = try Self.scanReply(
            try await send("ZSCAN", [key, cursor] + Self.scanOptions(match: match, count: count)))
        return (reply.cursor, try scored(reply.items, encoding))
    }
}
