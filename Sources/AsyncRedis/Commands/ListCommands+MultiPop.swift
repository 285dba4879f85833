// LMPOP and BLMPOP (Redis 7): pop from the first non-empty of several lists.
extension RedisCommands {
    /// LMPOP: up to `count` elements from the `end` of the first non-empty list of `keys`, with that list's key;
    /// nil when all are empty (Redis 7).
    public func lmpop(_ keys: [any RedisKeyConvertible], end: ListEnd, count: Int? = nil,
                      encoding: RedisEncoding? = nil) throws -> RedisCommand<(key: String, elements: [String])?> {
        try send("LMPOP", try Redis.multiPopArguments(keys, end.rawValue, count)).encoded(with: encoding)
            .map(Redis.multiPopReply)
    }

    /// BLMPOP: LMPOP that waits up to `timeout` (`.zero`: forever) for a list to have elements; nil on timeout
    /// (Redis 7).
    public func blmpop(_ keys: [any RedisKeyConvertible], end: ListEnd, count: Int? = nil, timeout: Duration = .zero,
                       encoding: RedisEncoding? = nil) throws -> RedisCommand<(key: String, elements: [String])?> {
        let arguments = [try Redis.timeoutSeconds(timeout)] + (try Redis.multiPopArguments(keys, end.rawValue, count))
        return try send("BLMPOP", arguments).encoded(with: encoding).map(Redis.multiPopReply)
    }
}

extension Redis {
    /// `numkeys key... LEFT|RIGHT|MIN|MAX [COUNT count]`, shared by LMPOP and ZMPOP and their blocking forms.
    static func multiPopArguments(_ keys: [any RedisKeyConvertible], _ end: String, _ count: Int?) throws
        -> [any RedisArgument]
    {
        guard !keys.isEmpty else { throw InvalidArgumentError("at least one key is needed") }
        var arguments: [any RedisArgument] = [keys.count] + keys + [end]
        if let count {
            guard count > 0 else { throw InvalidArgumentError("count must be > 0, got \(count)") }
            arguments += ["COUNT", count]
        }
        return arguments
    }

    /// `[key, [element...]]`, or null when nothing was popped.
    static func multiPopReply(_ reply: RESPValue, _ text: RedisEncoding) throws -> (key: String, elements: [String])? {
        guard let (key, popped) = try keyAndPopped(reply, text) else { return nil }
        return (key, try [String](fromRESP: popped, encoding: text))
    }

    /// The key and the popped part of an LMPOP/ZMPOP reply, nil for a null reply.
    static func keyAndPopped(_ reply: RESPValue, _ text: RedisEncoding) throws -> (String, RESPValue)? {
        if reply.isNull { return nil }
        let parts = try items(reply)
        guard parts.count == 2 else { throw UnexpectedReplyError("expected [key, elements], got \(reply.preview)") }
        return (try String(fromRESP: parts[0], encoding: text), parts[1])
    }
}
