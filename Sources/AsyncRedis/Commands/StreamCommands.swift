// Stream commands: XADD, XRANGE, XREAD, consumer groups (XGROUP, XREADGROUP, XPENDING, XCLAIM, XAUTOCLAIM,
// XACK), XDEL, XTRIM, XLEN and XINFO. Entries come back as `StreamEntry` values (see StreamTypes.swift); IDs are
// the server's text (`1700000000000-0`), field values stay bytes, field names and keys are decoded as text.
extension RedisCommands {
    // MARK: Adding, reading, trimming
    /// XADD: appends an entry with `fields` in their order and returns its ID (the `noMkStream:` forms below may
    /// answer nil instead, so only they return an optional). `id` is `*` (the server picks one), `<ms>-*` or an
    /// explicit ID greater than the last one. `trim` (MAXLEN or MINID) trims the stream in the same call; `limit`
    /// caps how many entries an approximate trim may evict.
    @discardableResult
    public func xadd(
        _ key: some RedisKeyConvertible, id: String = "*", fields: KeyValuePairs<String, any RedisArgument>,
            trim: StreamTrim? = nil,
        limit: Int? = nil
    ) throws -> RedisCommand<String> {
        try xadd(key, id: id, fields: fields.map { ($0.key, $0.value) }, trim: trim, limit: limit)
    }

    /// XADD with fields as an array of (name, value) pairs; see the `KeyValuePairs` form.
    @discardableResult
    public func xadd(
        _ key: some RedisKeyConvertible, id: String = "*", fields: [(String, any RedisArgument)],
            trim: StreamTrim? = nil,
        limit: Int? = nil
    ) throws -> RedisCommand<String> {
        try xadd(key, id: id, fields: fields, trim: trim, limit: limit, noMkStream: false).map { id, _ in
            guard let id else { throw UnexpectedReplyError("XADD answered nil without NOMKSTREAM") }
            return id
        }
    }

    /// XADD NOMKSTREAM (when `noMkStream` is true): `nil` when the stream does not exist, which is then not created.
    @discardableResult
    public func xadd(
        _ key: some RedisKeyConvertible, id: String = "*", fields: KeyValuePairs<String, any RedisArgument>,
            trim: StreamTrim? = nil,
        limit: Int? = nil, noMkStream: Bool
    ) throws -> RedisCommand<String?> {
        try xadd(key, id: id, fields: fields.map { ($0.key, $0.value) }, trim: trim, limit: limit,
                       noMkStream: noMkStream)
    }

    /// XADD NOMKSTREAM with fields as an array of (name, value) pairs.
    @discardableResult
    public func xadd(
        _ key: some RedisKeyConvertible, id: String = "*", fields: [(String, any RedisArgument)],
            trim: StreamTrim? = nil,
        limit: Int? = nil, noMkStream: Bool
    ) throws -> RedisCommand<String?> {
        guard !fields.isEmpty else { throw InvalidArgumentError("xadd needs at least one field") }
        guard !id.isEmpty else { throw InvalidArgumentError("xadd needs an ID (\"*\" lets the server pick one)") }
        if limit != nil, trim == nil { throw InvalidArgumentError("xadd: LIMIT needs a trim (MAXLEN or MINID)") }
        var arguments: [any RedisArgument] = [key]
        if noMkStream { arguments.append("NOMKSTREAM") }
        if let trim { arguments += try trim.arguments(limit: limit) }
        arguments.append(id)
        arguments += Redis.flatten(fields)
        return try send("XADD", arguments, as: String?.self, encoding: .utf8)
    }

    /// XRANGE: the entries with IDs from `start` to `end`, oldest first, at most `count`. Bounds are IDs
    /// (`1700000000000-0`, or just the milliseconds), `-` and `+` for the ends, `(` before an ID to exclude it.
    public func xrange(
        _ key: some RedisKeyConvertible, start: String = "-", end: String = "+", count: Int? = nil,
            encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[StreamEntry]> {
        let arguments: [any RedisArgument] = [key, start, end] + (try Redis.countArgument(count))
        return try send("XRANGE", arguments).encoded(with: encoding).map { reply, text in
            try Redis.streamEntries(reply, encoding: text)
        }
    }

    /// XREVRANGE: as `xrange`, newest first; note that `end` comes first.
    public func xrevrange(
        _ key: some RedisKeyConvertible, end: String = "+", start: String = "-", count: Int? = nil,
            encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[StreamEntry]> {
        let arguments: [any RedisArgument] = [key, end, start] + (try Redis.countArgument(count))
        return try send("XREVRANGE", arguments).encoded(with: encoding).map { reply, text in
            try Redis.streamEntries(reply, encoding: text)
        }
    }

    /// XREAD: for each (stream, ID) the entries after that ID, at most `count` per stream; `$` stands for the
    /// last ID in the stream, so that only new entries are read. Streams without new entries are left out.
    ///
    /// With `block`, waits up to that long (`.zero`: forever) for an entry when none is there yet and answers an
    /// empty array on timeout. A blocked XREAD holds its connection: on a pool it gets one of its own (other
    /// callers go on), on a single `RedisConnection` every later command waits behind it.
    public func xread(
        streams: KeyValuePairs<String, String>, count: Int? = nil, block: Duration? = nil,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[StreamReadResult]> {
        try xread(streams: streams.map { (key: $0.key, id: $0.value) }, count: count, block: block,
                        encoding: encoding)
    }

    /// XREAD with the streams as an array of (key, ID) pairs; see the `KeyValuePairs` form.
    public func xread(
        streams: [(key: String, id: String)], count: Int? = nil, block: Duration? = nil,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[StreamReadResult]> {
        var arguments = try Redis.countArgument(count)
        arguments += try Redis.blockArgument(block)
        arguments += try Redis.streamsArguments(streams)
        return try send("XREAD", arguments).encoded(with: encoding).map { reply, text in
            try Redis.streamReadResults(reply, encoding: text)
        }
    }

    /// XREADGROUP: reads as `consumer` of `group`. The ID `>` asks for entries never delivered to the group
    /// (they become pending for this consumer until XACK); any other ID reads this consumer's own pending entries
    /// after it, where an entry deleted since is answered with `isDeleted` and no fields. `noAck` delivers
    /// without adding to the pending list. `block` as for `xread`; a missing group throws `ReplyError` `NOGROUP`.
    public func xreadgroup(
        group: String, consumer: String, streams: KeyValuePairs<String, String>, count: Int? = nil,
        block: Duration? = nil, noAck: Bool = false, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[StreamReadResult]> {
        try xreadgroup(group: group, consumer: consumer, streams: streams.map { (key: $0.key, id: $0.value) },
                             count: count, block: block, noAck: noAck, encoding: encoding)
    }

    /// XREADGROUP with the streams as an array of (key, ID) pairs; see the `KeyValuePairs` form.
    public func xreadgroup(
        group: String, consumer: String, streams: [(key: String, id: String)], count: Int? = nil,
        block: Duration? = nil, noAck: Bool = false, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[StreamReadResult]> {
        var arguments: [any RedisArgument] = ["GROUP", group, consumer]
        arguments += try Redis.countArgument(count)
        arguments += try Redis.blockArgument(block)
        if noAck { arguments.append("NOACK") }
        arguments += try Redis.streamsArguments(streams)
        return try send("XREADGROUP", arguments).encoded(with: encoding).map { reply, text in
            try Redis.streamReadResults(reply, encoding: text)
        }
    }

    /// XDEL: the number of entries deleted (IDs not in the stream are not counted).
    @discardableResult
    public func xdel(_ key: some RedisKeyConvertible, _ id: String, _ ids: String...) throws -> RedisCommand<Int> {
        try xdelListForm(key, id, ids)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func xdelListForm(_ key: some RedisKeyConvertible, _ id: String, _ ids: [String]) throws -> RedisCommand<Int> {
        try xdel(key, ids: [id] + ids)
    }

    /// XDEL: deletes entries; returns how many existed.
    @discardableResult
    public func xdel(_ key: some RedisKeyConvertible, ids: [String]) throws -> RedisCommand<Int> {
        guard !ids.isEmpty else { throw InvalidArgumentError("xdel needs at least one ID") }
        return try send("XDEL", [key] + ids, as: Int.self)
    }

    /// XTRIM: trims by MAXLEN or MINID and returns the number of entries removed. `limit` caps how many an
    /// approximate trim may evict.
    @discardableResult
    public func xtrim(_ key: some RedisKeyConvertible, _ trim: StreamTrim, limit: Int? = nil)
        throws -> RedisCommand<Int>
    {
        try send("XTRIM", [key] + (try trim.arguments(limit: limit)), as: Int.self)
    }

    /// XLEN: the number of entries (0 when the key does not exist).
    public func xlen(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("XLEN", [key], as: Int.self)
    }

    // MARK: Consumer groups
    /// XGROUP CREATE: a group that will deliver the entries after `id` (`$`: only entries added from now on,
    /// `0`: the whole stream). `mkStream` creates an empty stream if there is none (else `ReplyError` `ERR`);
    /// an existing group throws `ReplyError` with code `BUSYGROUP`. `entriesRead` (Redis 7) sets the group's
    /// read counter, which XINFO GROUPS uses for `lag`.
    @discardableResult
    public func xgroupCreate(
        _ key: some RedisKeyConvertible, _ group: String, id: String = "$", mkStream: Bool = false,
            entriesRead: Int? = nil
    ) throws -> RedisCommand<Bool> {
        var arguments: [any RedisArgument] = ["CREATE", key, group, id]
        if mkStream { arguments.append("MKSTREAM") }
        arguments += try Redis.entriesReadArgument(entriesRead)
        return try sendOK("XGROUP", arguments)
    }

    /// XGROUP SETID: moves the group's last-delivered ID (`$`: the stream's last entry), so that XREADGROUP `>`
    /// goes on after it.
    @discardableResult
    public func xgroupSetID(_ key: some RedisKeyConvertible, _ group: String, id: String, entriesRead: Int? = nil)
        throws -> RedisCommand<Bool>
    {
        try sendOK("XGROUP", ["SETID", key, group, id] + (try Redis.entriesReadArgument(entriesRead)))
    }

    /// XGROUP DESTROY: true if the group existed; its consumers and pending entries go with it.
    @discardableResult
    public func xgroupDestroy(_ key: some RedisKeyConvertible, _ group: String) throws -> RedisCommand<Bool> {
        try send("XGROUP", ["DESTROY", key, group], as: Bool.self)
    }

    /// XGROUP CREATECONSUMER: true if the consumer was created, false if it already existed.
    @discardableResult
    public func xgroupCreateConsumer(_ key: some RedisKeyConvertible, _ group: String, _ consumer: String)
        throws -> RedisCommand<Bool>
    {
        try send("XGROUP", ["CREATECONSUMER", key, group, consumer], as: Bool.self)
    }

    /// XGROUP DELCONSUMER: removes the consumer and returns how many entries were pending for it (they are no
    /// longer pending for anyone).
    @discardableResult
    public func xgroupDelConsumer(_ key: some RedisKeyConvertible, _ group: String, _ consumer: String)
        throws -> RedisCommand<Int>
    {
        try send("XGROUP", ["DELCONSUMER", key, group, consumer], as: Int.self)
    }

    /// XACK: acknowledges entries, removing them from the group's pending list; returns how many were pending.
    @discardableResult
    public func xack(_ key: some RedisKeyConvertible, _ group: String, _ id: String, _ ids: String...)
        throws -> RedisCommand<Int>
    {
        try xackListForm(key, group, id, ids)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func xackListForm(_ key: some RedisKeyConvertible, _ group: String, _ id: String, _ ids: [String])
        throws -> RedisCommand<Int>
    {
        try xack(key, group, ids: [id] + ids)
    }

    /// XACK: acknowledges entries of a group; returns how many were pending.
    @discardableResult
    public func xack(_ key: some RedisKeyConvertible, _ group: String, ids: [String]) throws -> RedisCommand<Int> {
        guard !ids.isEmpty else { throw InvalidArgumentError("xack needs at least one ID") }
        return try send("XACK", [key, group] + ids, as: Int.self)
    }

    /// XPENDING, summary form: how many entries of the group are pending, their ID range, and per consumer.
    public func xpending(_ key: some RedisKeyConvertible, _ group: String, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<StreamPendingSummary>
    {
        try send("XPENDING", [key, group]).encoded(with: encoding).map { reply, text in
            try Redis.streamPendingSummary(reply, encoding: text)
        }
    }

    /// XPENDING, extended form: up to `count` pending entries with IDs from `start` to `end`, optionally only
    /// those of `consumer` and only those idle for at least `minIdleTime` (Redis 6.2+).
    public func xpending(
        _ key: some RedisKeyConvertible, _ group: String, start: String = "-", end: String = "+", count: Int,
            consumer: String? = nil,
        minIdleTime: Duration? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[StreamPendingEntry]> {
        guard count >= 0 else { throw InvalidArgumentError("count must be >= 0, got \(count)") }
        var arguments: [any RedisArgument] = [key, group]
        if let minIdleTime { arguments += ["IDLE", try Redis.nonNegativeMilliseconds(minIdleTime, "minIdleTime")] }
        arguments += [start, end, count]
        if let consumer { arguments.append(consumer) }
                return try send("XPENDING", arguments).encoded(with: encoding).map { reply, text in
            try Redis.items(reply).map {
                try Redis.streamPendingEntry($0, encoding: text)
            }
        }
    }

    /// XCLAIM: gives `consumer` the pending entries among `ids` that have been idle for at least `minIdleTime`,
    /// and returns them (their delivery count goes up). Since Redis 7 an ID whose entry was deleted is dropped
    /// from the pending list and left out.
    ///
    /// Options: `idle` sets the entries' idle time (default zero), `time` their last delivery as a Unix time in
    /// milliseconds instead, `retryCount` their delivery count, `force` creates pending entries for IDs not
    /// pending yet (if they exist in the stream).
    public func xclaim(
        _ key: some RedisKeyConvertible, _ group: String, _ consumer: String, minIdleTime: Duration, ids: [String],
        idle: Duration? = nil, time: Int? = nil, retryCount: Int? = nil, force: Bool = false,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[StreamEntry]> {
        let arguments = try Redis.xclaimArguments(
            key, group, consumer, minIdleTime, ids, idle, time, retryCount, force, justID: false)
        return try send("XCLAIM", arguments).encoded(with: encoding).map { reply, text in
            try Redis.streamEntries(reply, encoding: text)
        }
    }

    /// XCLAIM ... JUSTID: as `xclaim`, answering only the IDs claimed; the delivery count is left unchanged.
    @discardableResult
    public func xclaimJustID(
        _ key: some RedisKeyConvertible, _ group: String, _ consumer: String, minIdleTime: Duration, ids: [String],
        idle: Duration? = nil, time: Int? = nil, retryCount: Int? = nil, force: Bool = false
    ) throws -> RedisCommand<[String]> {
        let arguments = try Redis.xclaimArguments(
            key, group, consumer, minIdleTime, ids, idle, time, retryCount, force, justID: true)
        return try send("XCLAIM", arguments, as: [String].self, encoding: .utf8)
    }

    /// XAUTOCLAIM (Redis 6.2+): claims for `consumer` up to `count` (server default 100) pending entries idle for
    /// at least `minIdleTime`, scanning the pending list from `start`. Call again with `nextStart` until it is
    /// `0-0` to go through the whole list.
    public func xautoclaim(
        _ key: some RedisKeyConvertible, _ group: String, _ consumer: String, minIdleTime: Duration,
            start: String = "0-0",
        count: Int? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<StreamAutoClaimResult> {
        var arguments: [any RedisArgument] = [
            key, group, consumer, try Redis.nonNegativeMilliseconds(minIdleTime, "minIdleTime"), start,
        ]
        if let count {
            guard count > 0 else { throw InvalidArgumentError("count must be > 0, got \(count)") }
            arguments += ["COUNT", count]
        }
        return try send("XAUTOCLAIM", arguments).encoded(with: encoding).map { reply, text in
            try Redis.streamAutoClaim(reply, encoding: text)
        }
    }

    // MARK: Introspection
    /// XINFO STREAM: length, radix tree size, group count, last generated ID, first and last entries.
    /// A missing key throws `ReplyError` `ERR`.
    public func xinfoStream(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<StreamInfo>
    {
        try send("XINFO", ["STREAM", key]).encoded(with: encoding).map { reply, text in
            try Redis.streamInfo(reply, encoding: text)
        }
    }

    /// XINFO GROUPS: every consumer group of the stream.
    public func xinfoGroups(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[StreamGroupInfo]>
    {
                return try send("XINFO", ["GROUPS", key]).encoded(with: encoding).map { reply, text in
            try Redis.items(reply).map {
                try Redis.streamGroupInfo($0, encoding: text)
            }
        }
    }

    /// XINFO CONSUMERS: every consumer of `group`; a missing group throws `ReplyError` `NOGROUP`.
    public func xinfoConsumers(_ key: some RedisKeyConvertible, _ group: String, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[StreamConsumerInfo]>
    {
                return try send("XINFO", ["CONSUMERS", key, group]).encoded(with: encoding).map { reply, text in
            try Redis.items(reply).map {
                try Redis.streamConsumerInfo($0, encoding: text)
            }
        }
    }
}

extension Redis {
    // MARK: Argument helpers

    static func countArgument(_ count: Int?) throws -> [any RedisArgument] {
        guard let count else { return [] }
        guard count > 0 else { throw InvalidArgumentError("count must be > 0, got \(count)") }
        return ["COUNT", count]
    }

    static func blockArgument(_ block: Duration?) throws -> [any RedisArgument] {
        guard let block else { return [] }
        return ["BLOCK", try nonNegativeMilliseconds(block, "block")]
    }

    /// `STREAMS key... id...`.
    static func streamsArguments(_ streams: [(key: String, id: String)]) throws -> [any RedisArgument] {
        guard !streams.isEmpty else { throw InvalidArgumentError("at least one stream is needed") }
        var arguments: [any RedisArgument] = ["STREAMS"]
        arguments.reserveCapacity(1 + streams.count * 2)
        for stream in streams { arguments.append(stream.key) }
        for stream in streams {
            guard !stream.id.isEmpty else { throw InvalidArgumentError("no ID given for stream \(stream.key)") }
            arguments.append(stream.id)
        }
        return arguments
    }

    static func entriesReadArgument(_ entriesRead: Int?) throws -> [any RedisArgument] {
        guard let entriesRead else { return [] }
        guard entriesRead >= 0 else { throw InvalidArgumentError("entriesRead must be >= 0, got \(entriesRead)") }
        return ["ENTRIESREAD", entriesRead]
    }

    /// A non-negative duration in whole milliseconds, rounded up (a tiny positive block never becomes "forever").
    static func xclaimArguments(
        _ key: any RedisKeyConvertible, _ group: String, _ consumer: String, _ minIdleTime: Duration, _ ids: [String],
        _ idle: Duration?, _ time: Int?, _ retryCount: Int?, _ force: Bool, justID: Bool
    ) throws -> [any RedisArgument] {
        guard !ids.isEmpty else { throw InvalidArgumentError("xclaim needs at least one ID") }
        if idle != nil, time != nil { throw InvalidArgumentError("xclaim: give idle or time, not both") }
        var arguments: [any RedisArgument] = [
            key, group, consumer, try nonNegativeMilliseconds(minIdleTime, "minIdleTime"),
        ]
        arguments += ids as [any RedisArgument]
        if let idle { arguments += ["IDLE", try nonNegativeMilliseconds(idle, "idle")] }
        if let time {
            guard time >= 0 else { throw InvalidArgumentError("time must be >= 0, got \(time)") }
            arguments += ["TIME", time]
        }
        if let retryCount {
            guard retryCount >= 0 else { throw InvalidArgumentError("retryCount must be >= 0, got \(retryCount)") }
            arguments += ["RETRYCOUNT", retryCount]
        }
        if force { arguments.append("FORCE") }
        if justID { arguments.append("JUSTID") }
        return arguments
    }
}
