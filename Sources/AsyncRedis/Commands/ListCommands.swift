/// An end of a list, for LMOVE and BLMOVE.
public enum ListEnd: String, Sendable, Hashable {
    /// The head (`LEFT`) or the tail (`RIGHT`) of a list.
    case left = "LEFT", right = "RIGHT"
}

// List commands, aioredis `ListCommandsMixin`.
extension RedisCommands {
    /// BRPOPLPUSH: the element moved, nil on timeout.
    public func brpoplpush(_ source: some RedisKeyConvertible, _ destination: some RedisKeyConvertible,
            timeout: Duration = .zero,
                           encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        let seconds = try Redis.timeoutSeconds(timeout)
        return try send("BRPOPLPUSH", [source, destination, seconds], as: String?.self, encoding: encoding)
    }

    /// BLMOVE: the element moved, nil on timeout.
    public func blmove(_ source: some RedisKeyConvertible, _ destination: some RedisKeyConvertible, from: ListEnd,
            to: ListEnd,
                       timeout: Duration = .zero, encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        let seconds = try Redis.timeoutSeconds(timeout)
        return try send(
            "BLMOVE", [source, destination, from.rawValue, to.rawValue, seconds], as: String?.self, encoding: encoding)
    }

    /// LINDEX as text.
    public func lindex(_ key: some RedisKeyConvertible, _ index: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String?>
    {
        try send("LINDEX", [key, index], as: String?.self, encoding: encoding)
    }

    /// LINDEX decoded as `T`.
    public func lindex<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, _ index: Int, as type: T.Type)
        throws -> RedisCommand<T?>
    {
        try send("LINDEX", [key, index], as: T?.self)
    }

    /// LINSERT `value` before or after `pivot` (aioredis's `before=False` default): the new length,
    /// -1 when the pivot is not found, 0 when the key does not exist.
    @discardableResult
    public func linsert(_ key: some RedisKeyConvertible, pivot: some RedisArgument, value: some RedisArgument,
            before: Bool = false)
        throws -> RedisCommand<Int>
    {
        try send("LINSERT", [key, before ? "BEFORE" : "AFTER", pivot, value], as: Int.self)
    }

    /// LLEN: the length of the list.
    public func llen(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("LLEN", [key], as: Int.self)
    }

    /// LMOVE: the element moved, nil when the source is empty.
    @discardableResult
    public func lmove(_ source: some RedisKeyConvertible, _ destination: some RedisKeyConvertible, from: ListEnd,
            to: ListEnd,
                      encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        try send("LMOVE", [source, destination, from.rawValue, to.rawValue], as: String?.self,
                       encoding: encoding)
    }

    /// LPOP one element, nil when the list is empty.
    @discardableResult
    public func lpop(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        try send("LPOP", [key], as: String?.self, encoding: encoding)
    }

    /// LPOP up to `count` elements; nil when the key does not exist.
    @discardableResult
    public func lpop(_ key: some RedisKeyConvertible, count: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]?>
    {
        try send("LPOP", [key, count], as: [String]?.self, encoding: encoding)
    }

    /// LPOP decoded as `T`.
    public func lpop<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, as type: T.Type)
        throws -> RedisCommand<T?>
    {
        try send("LPOP", [key], as: T?.self)
    }

    /// RPOP as text; nil when the list is empty.
    @discardableResult
    public func rpop(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        try send("RPOP", [key], as: String?.self, encoding: encoding)
    }

    /// RPOP of up to `count` elements, as text.
    @discardableResult
    public func rpop(_ key: some RedisKeyConvertible, count: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]?>
    {
        try send("RPOP", [key, count], as: [String]?.self, encoding: encoding)
    }

    /// RPOP decoded as `T`.
    public func rpop<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, as type: T.Type)
        throws -> RedisCommand<T?>
    {
        try send("RPOP", [key], as: T?.self)
    }

    /// LPOS: the index of the first match (after skipping `rank - 1` matches; negative ranks search from the
    /// tail), nil when none.
    public func lpos(_ key: some RedisKeyConvertible, _ element: some RedisArgument, rank: Int? = nil,
            maxlen: Int? = nil)
        throws -> RedisCommand<Int?>
    {
        try send("LPOS", Redis.lposArguments(key, element, rank: rank, count: nil, maxlen: maxlen), as: Int?.self)
    }

    /// LPOS ... COUNT: the indexes of up to `count` matches (0: all).
    public func lpos(_ key: some RedisKeyConvertible, _ element: some RedisArgument, count: Int, rank: Int? = nil,
            maxlen: Int? = nil)
        throws -> RedisCommand<[Int]>
    {
        try send("LPOS", Redis.lposArguments(key, element, rank: rank, count: count, maxlen: maxlen),
                       as: [Int].self)
    }

    /// LPUSH: the length afterwards. Values are pushed one after the other, so the last ends up first.
    @discardableResult
    public func lpush(_ key: some RedisKeyConvertible, _ value: any RedisArgument, _ values: any RedisArgument...)
        throws -> RedisCommand<Int>
    {
        try lpushListForm(key, value, values)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func lpushListForm(_ key: some RedisKeyConvertible, _ value: any RedisArgument, _ values: [any RedisArgument])
        throws -> RedisCommand<Int>
    {
        try lpush(key, values: [value] + values)
    }

    /// LPUSH of a list of values.
    @discardableResult
    public func lpush(_ key: some RedisKeyConvertible, values: [any RedisArgument]) throws -> RedisCommand<Int> {
        try send("LPUSH", [key] + (try Redis.nonEmpty(values, "lpush")), as: Int.self)
    }

    /// LPUSHX: pushes only onto an existing list; 0 when there is none.
    @discardableResult
    public func lpushx(_ key: some RedisKeyConvertible, _ value: any RedisArgument, _ values: any RedisArgument...)
        throws -> RedisCommand<Int>
    {
        try lpushxListForm(key, value, values)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func lpushxListForm(_ key: some RedisKeyConvertible, _ value: any RedisArgument, _ values: [any RedisArgument])
        throws -> RedisCommand<Int>
    {
        try send("LPUSHX", [key, value] + values, as: Int.self)
    }

    /// RPUSH: appends values; returns the new length.
    @discardableResult
    public func rpush(_ key: some RedisKeyConvertible, _ value: any RedisArgument, _ values: any RedisArgument...)
        throws -> RedisCommand<Int>
    {
        try rpushListForm(key, value, values)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func rpushListForm(_ key: some RedisKeyConvertible, _ value: any RedisArgument, _ values: [any RedisArgument])
        throws -> RedisCommand<Int>
    {
        try rpush(key, values: [value] + values)
    }

    /// RPUSH of a collection in one command.
    @discardableResult
    public func rpush(_ key: some RedisKeyConvertible, values: [any RedisArgument]) throws -> RedisCommand<Int> {
        try send("RPUSH", [key] + (try Redis.nonEmpty(values, "rpush")), as: Int.self)
    }

    /// RPUSHX: appends only to an existing list; returns the new length (0 when the key is missing).
    @discardableResult
    public func rpushx(_ key: some RedisKeyConvertible, _ value: any RedisArgument, _ values: any RedisArgument...)
        throws -> RedisCommand<Int>
    {
        try rpushxListForm(key, value, values)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func rpushxListForm(_ key: some RedisKeyConvertible, _ value: any RedisArgument, _ values: [any RedisArgument])
        throws -> RedisCommand<Int>
    {
        try send("RPUSHX", [key, value] + values, as: Int.self)
    }

    /// LRANGE, both ends inclusive, negative indexes from the end (aioredis's defaults: the whole list).
    public func lrange(_ key: some RedisKeyConvertible, _ start: Int = 0, _ stop: Int = -1,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String]>
    {
        try send("LRANGE", [key, start, stop], as: [String].self, encoding: encoding)
    }

    /// LRANGE decoded as `T`.
    public func lrange<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, _ start: Int = 0, _ stop: Int = -1,
            as type: T.Type)
        throws -> RedisCommand<[T]>
    {
        try send("LRANGE", [key, start, stop], as: [T].self)
    }

    /// LREM: removes `count` occurrences (from the head if positive, the tail if negative, all if 0).
    @discardableResult
    public func lrem(_ key: some RedisKeyConvertible, count: Int, _ value: some RedisArgument)
        throws -> RedisCommand<Int>
    {
        try send("LREM", [key, count, value], as: Int.self)
    }

    /// LSET; throws `ReplyError` for an index out of range or a missing key.
    @discardableResult
    public func lset(_ key: some RedisKeyConvertible, _ index: Int, _ value: some RedisArgument)
        throws -> RedisCommand<Bool>
    {
        try sendOK("LSET", [key, index, value])
    }

    /// LTRIM: keeps only the elements from `start` to `stop`.
    @discardableResult
    public func ltrim(_ key: some RedisKeyConvertible, _ start: Int, _ stop: Int) throws -> RedisCommand<Bool> {
        try sendOK("LTRIM", [key, start, stop])
    }

    /// RPOPLPUSH: the element moved, nil when the source is empty.
    @discardableResult
    public func rpoplpush(_ source: some RedisKeyConvertible, _ destination: some RedisKeyConvertible,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String?>
    {
        try send("RPOPLPUSH", [source, destination], as: String?.self, encoding: encoding)
    }
}

extension RedisCommands {
    /// BLPOP: waits up to `timeout` (`.zero`: forever; sent as fractional seconds) for an element of the first
    /// non-empty list; nil on timeout.
    public func blpop(
        _ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible..., timeout: Duration = .zero,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(key: String, value: String)?> {
        try blpopListForm(key, keys, timeout: timeout, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func blpopListForm(
        _ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible], timeout: Duration = .zero,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(key: String, value: String)?> {
        try blockingPop("BLPOP", [key] + keys, timeout: timeout, encoding: encoding)
    }

    /// BRPOP: waits up to `timeout` (`.zero`: forever) for a tail element of the first non-empty list.
    public func brpop(
        _ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible..., timeout: Duration = .zero,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(key: String, value: String)?> {
        try brpopListForm(key, keys, timeout: timeout, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func brpopListForm(
        _ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible], timeout: Duration = .zero,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<(key: String, value: String)?> {
        try blockingPop("BRPOP", [key] + keys, timeout: timeout, encoding: encoding)
    }

    private func blockingPop(
        _ command: String, _ keys: [any RedisKeyConvertible], timeout: Duration, encoding: RedisEncoding?
    ) throws -> RedisCommand<(key: String, value: String)?> {
        let seconds = try Redis.timeoutSeconds(timeout)
        return try send(command, keys + [seconds] as [any RedisArgument], as: [String]?.self, encoding: encoding)
            .map { pair, _ in
                guard let pair else { return nil }
                guard pair.count == 2 else { throw UnexpectedReplyError("\(command) answered \(pair)") }
                return (key: pair[0], value: pair[1])
            }
    }
}

extension Redis {
    static func lposArguments(_ key: any RedisKeyConvertible, _ element: any RedisArgument, rank: Int?, count: Int?,
        maxlen: Int?)
        -> [any RedisArgument]
    {
        var arguments: [any RedisArgument] = [key, element]
        if let rank { arguments += ["RANK", rank] }
        if let count { arguments += ["COUNT", count] }
        if let maxlen { arguments += ["MAXLEN", maxlen] }
        return arguments
    }
}
