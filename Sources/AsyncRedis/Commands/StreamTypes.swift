import NIOCore

// The values stream commands take and return, and the decoding of their RESP2 and RESP3 reply shapes.

/// One field of a stream entry: its name as text, its value as the bytes the server holds.
public struct StreamField: Sendable, Hashable {
    /// The field name.
    public var name: String
    /// The value's bytes.
    public var value: ByteBuffer

    /// A field from its name and value.
    public init(name: String, value: ByteBuffer) {
        self.name = name
        self.value = value
    }

    /// The value decoded as text; nil when its bytes are not valid in `encoding`.
    public func string(encoding: RedisEncoding = .utf8) -> String? {
        encoding.decode(value)
    }
}

/// One stream entry: its ID (`<milliseconds>-<sequence>`) and its fields in the order they were added.
public struct StreamEntry: Sendable, Hashable {
    /// The entry ID, `<milliseconds>-<sequence>`.
    public var id: String
    /// The fields in XADD's order; the same name may appear more than once. Empty when `isDeleted`.
    public var fields: [StreamField]
    /// True for an ID still pending in a consumer group whose entry was deleted from the stream (XDEL, XTRIM):
    /// XREADGROUP reading a consumer's history answers such IDs without fields.
    public var isDeleted: Bool

    /// An entry from its ID and fields.
    public init(id: String, fields: [StreamField], isDeleted: Bool = false) {
        self.id = id
        self.fields = fields
        self.isDeleted = isDeleted
    }

    /// The value of the first field named `name`, nil when there is none.
    public subscript(name: String) -> ByteBuffer? {
        fields.first { $0.name == name }?.value
    }

    /// The value of the first field named `name` as text; nil when there is none or it is not valid text.
    public func string(_ name: String, encoding: RedisEncoding = .utf8) -> String? {
        self[name].flatMap { encoding.decode($0) }
    }

    /// The value of the first field named `name` decoded as `T` (`Int`, `Double`, `String`, `[UInt8]`, ...);
    /// nil when there is none, throws `UnexpectedReplyError` when it cannot be decoded as `T`.
    public func value<T: RESPValueDecodable>(_ name: String, as type: T.Type, encoding: RedisEncoding = .utf8)
        throws -> T?
    {
        guard let bytes = self[name] else { return nil }
        return try T(fromRESP: .bulkString(bytes), encoding: encoding)
    }

    /// The fields as text pairs, in order; nil when a name or value is not valid in `encoding`.
    public func stringFields(encoding: RedisEncoding = .utf8) -> [(name: String, value: String)]? {
        var result: [(name: String, value: String)] = []
        result.reserveCapacity(fields.count)
        for field in fields {
            guard let value = encoding.decode(field.value) else { return nil }
            result.append((name: field.name, value: value))
        }
        return result
    }
}

/// The entries XREAD or XREADGROUP returned for one of the streams asked for.
public struct StreamReadResult: Sendable, Hashable {
    /// The stream key.
    public var key: String
    /// The entries read, oldest first.
    public var entries: [StreamEntry]

    /// A stream's entries.
    public init(key: String, entries: [StreamEntry]) {
        self.key = key
        self.entries = entries
    }
}

/// How XADD and XTRIM trim a stream. With `approximate` (`~`) Redis trims only whole radix-tree nodes, which is
/// cheaper and may leave a few more entries than asked.
public enum StreamTrim: Sendable, Hashable {
    /// MAXLEN: keep at most this many of the newest entries.
    case maxLen(Int, approximate: Bool = false)
    /// MINID: drop the entries with an ID lower than this one.
    case minID(String, approximate: Bool = false)

    var isApproximate: Bool {
        switch self {
        case .maxLen(_, let approximate), .minID(_, let approximate): return approximate
        }
    }

    /// `MAXLEN|MINID [=|~] threshold [LIMIT count]`, validated.
    func arguments(limit: Int?) throws -> [any RedisArgument] {
        var arguments: [any RedisArgument]
        switch self {
        case .maxLen(let count, let approximate):
            guard count >= 0 else { throw InvalidArgumentError("MAXLEN must be >= 0, got \(count)") }
            arguments = ["MAXLEN", approximate ? "~" : "=", count]
        case .minID(let id, let approximate):
            guard !id.isEmpty else { throw InvalidArgumentError("MINID needs an ID") }
            arguments = ["MINID", approximate ? "~" : "=", id]
        }
        if let limit {
            guard isApproximate else {
                throw InvalidArgumentError("LIMIT needs approximate trimming (~): pass approximate: true")
            }
            guard limit >= 0 else { throw InvalidArgumentError("LIMIT must be >= 0, got \(limit)") }
            arguments += ["LIMIT", limit]
        }
        return arguments
    }
}

/// The summary form of XPENDING: how many entries a group has delivered but not acknowledged, and by whom.
public struct StreamPendingSummary: Sendable, Hashable {
    /// Pending entries in the group.
    public var count: Int
    /// The lowest and highest pending IDs; nil when nothing is pending.
    public var smallestID: String?
    /// The highest pending ID; nil when nothing is pending.
    public var greatestID: String?
    /// Every consumer with pending entries, and how many it has.
    public var consumers: [StreamConsumerPendingCount]

    /// A summary from its parts.
    public init(count: Int, smallestID: String?, greatestID: String?, consumers: [StreamConsumerPendingCount]) {
        self.count = count
        self.smallestID = smallestID
        self.greatestID = greatestID
        self.consumers = consumers
    }
}

/// A consumer and the number of entries pending for it.
public struct StreamConsumerPendingCount: Sendable, Hashable {
    /// The consumer name.
    public var name: String
    /// Entries pending for this consumer.
    public var count: Int

    /// A consumer's pending count.
    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// One pending entry of the extended XPENDING form.
public struct StreamPendingEntry: Sendable, Hashable {
    /// The entry ID.
    public var id: String
    /// The consumer the entry was last delivered to.
    public var consumer: String
    /// Milliseconds since it was last delivered.
    public var idleMilliseconds: Int
    /// How many times it has been delivered (XREADGROUP, XCLAIM, XAUTOCLAIM).
    public var deliveryCount: Int

    /// A pending entry from its parts.
    public init(id: String, consumer: String, idleMilliseconds: Int, deliveryCount: Int) {
        self.id = id
        self.consumer = consumer
        self.idleMilliseconds = idleMilliseconds
        self.deliveryCount = deliveryCount
    }
}

/// XAUTOCLAIM's answer.
public struct StreamAutoClaimResult: Sendable, Hashable {
    /// Where the next XAUTOCLAIM call should start; `0-0` once the whole pending list has been scanned.
    public var nextStart: String
    /// The entries now owned by the claiming consumer.
    public var entries: [StreamEntry]
    /// Pending IDs whose entries no longer exist in the stream; Redis 7 removes them from the pending list.
    /// Always empty before Redis 7.
    public var deletedIDs: [String]

    /// An XAUTOCLAIM answer from its parts.
    public init(nextStart: String, entries: [StreamEntry], deletedIDs: [String]) {
        self.nextStart = nextStart
        self.entries = entries
        self.deletedIDs = deletedIDs
    }
}

/// XINFO STREAM.
public struct StreamInfo: Sendable, Hashable {
    /// Number of entries.
    public var length: Int
    /// Keys in the radix tree holding the entries.
    public var radixTreeKeys: Int
    /// Nodes in the radix tree holding the entries.
    public var radixTreeNodes: Int
    /// Number of consumer groups.
    public var groups: Int
    /// The ID of the last entry added, even if that entry has since been deleted.
    public var lastGeneratedID: String
    /// Redis 7: the highest ID deleted from the stream (`0-0` if none).
    public var maxDeletedEntryID: String?
    /// Redis 7: how many entries were ever added.
    public var entriesAdded: Int?
    /// Redis 7: the ID of the first entry still in the stream as Redis recorded it.
    public var recordedFirstEntryID: String?
    /// The oldest and newest entries; nil when the stream is empty.
    public var firstEntry: StreamEntry?
    /// The newest entry; nil when the stream is empty.
    public var lastEntry: StreamEntry?
    /// Every field of the reply by its name, including those above and any a later Redis adds.
    public var raw: [String: RESPValue]

    /// Stream information from its parts.
    public init(
        length: Int, radixTreeKeys: Int, radixTreeNodes: Int, groups: Int, lastGeneratedID: String,
        maxDeletedEntryID: String? = nil, entriesAdded: Int? = nil, recordedFirstEntryID: String? = nil,
        firstEntry: StreamEntry? = nil, lastEntry: StreamEntry? = nil, raw: [String: RESPValue] = [:]
    ) {
        self.length = length
        self.radixTreeKeys = radixTreeKeys
        self.radixTreeNodes = radixTreeNodes
        self.groups = groups
        self.lastGeneratedID = lastGeneratedID
        self.maxDeletedEntryID = maxDeletedEntryID
        self.entriesAdded = entriesAdded
        self.recordedFirstEntryID = recordedFirstEntryID
        self.firstEntry = firstEntry
        self.lastEntry = lastEntry
        self.raw = raw
    }
}

/// One consumer group of XINFO GROUPS.
public struct StreamGroupInfo: Sendable, Hashable {
    /// The group name.
    public var name: String
    /// Number of consumers in the group.
    public var consumers: Int
    /// Entries delivered to the group's consumers and not yet acknowledged.
    public var pending: Int
    /// The last ID delivered to the group.
    public var lastDeliveredID: String
    /// Redis 7: the logical read counter of the group (nil before Redis 7 or when Redis cannot tell).
    public var entriesRead: Int?
    /// Redis 7: entries still waiting to be delivered to the group (nil before Redis 7 or when Redis cannot tell).
    public var lag: Int?

    /// Group information from its parts.
    public init(
        name: String, consumers: Int, pending: Int, lastDeliveredID: String, entriesRead: Int? = nil, lag: Int? = nil
    ) {
        self.name = name
        self.consumers = consumers
        self.pending = pending
        self.lastDeliveredID = lastDeliveredID
        self.entriesRead = entriesRead
        self.lag = lag
    }
}

/// One consumer of XINFO CONSUMERS.
public struct StreamConsumerInfo: Sendable, Hashable {
    /// The consumer name.
    public var name: String
    /// Entries delivered to this consumer and not yet acknowledged.
    public var pending: Int
    /// Milliseconds since the consumer last interacted with the server (read, claim).
    public var idleMilliseconds: Int
    /// Redis 7.2: milliseconds since its last successful read or claim, -1 if it never had one; nil before 7.2.
    public var inactiveMilliseconds: Int?

    /// Consumer information from its parts.
    public init(name: String, pending: Int, idleMilliseconds: Int, inactiveMilliseconds: Int? = nil) {
        self.name = name
        self.pending = pending
        self.idleMilliseconds = idleMilliseconds
        self.inactiveMilliseconds = inactiveMilliseconds
    }
}

// MARK: Decoding

extension Redis {
    /// A stream entry `[id, [field, value, ...]]`; nil for a null element (an entry XCLAIM or XAUTOCLAIM found
    /// deleted before Redis 7, answered without even its ID). `[id, nil]` is a deleted entry still pending.
    static func streamEntry(_ reply: RESPValue, encoding: RedisEncoding) throws -> StreamEntry? {
        if reply.isNull { return nil }
        let parts = try items(reply)
        guard parts.count == 2 else {
            throw UnexpectedReplyError("expected a stream entry [id, fields], got \(reply.preview)")
        }
        let id = try String(fromRESP: parts[0], encoding: .utf8)
        if parts[1].isNull { return StreamEntry(id: id, fields: [], isDeleted: true) }
        let list: [RESPValue]
        if case .map(let pairs) = parts[1] {
            list = pairs.flatMap { [$0.key, $0.value] }
        } else {
            list = try items(parts[1])
        }
        guard list.count % 2 == 0 else {
            throw UnexpectedReplyError("odd number of field names and values in \(reply.preview)")
        }
        var fields: [StreamField] = []
        fields.reserveCapacity(list.count / 2)
        var index = 0
        while index < list.count {
            fields.append(StreamField(
                name: try String(fromRESP: list[index], encoding: encoding),
                value: try ByteBuffer(fromRESP: list[index + 1], encoding: encoding)))
            index += 2
        }
        return StreamEntry(id: id, fields: fields)
    }

    /// A list of entries (XRANGE, XCLAIM, ...), leaving out null elements.
    static func streamEntries(_ reply: RESPValue, encoding: RedisEncoding) throws -> [StreamEntry] {
        try items(reply).compactMap { try streamEntry($0, encoding: encoding) }
    }

    /// XREAD/XREADGROUP: RESP2 `[[key, entries], ...]`, RESP3 `{key: entries, ...}`; nil (timeout) is empty.
    static func streamReadResults(_ reply: RESPValue, encoding: RedisEncoding) throws -> [StreamReadResult] {
        if reply.isNull { return [] }
        let streams: [(RESPValue, RESPValue)]
        switch reply {
        case .map(let pairs):
            streams = pairs.map { ($0.key, $0.value) }
        case .attribute(_, let inner):
            return try streamReadResults(inner, encoding: encoding)
        default:
            streams = try items(reply).map { item in
                let pair = try items(item)
                guard pair.count == 2 else {
                    throw UnexpectedReplyError("expected [key, entries], got \(item.preview)")
                }
                return (pair[0], pair[1])
            }
        }
        return try streams.map {
            StreamReadResult(
                key: try String(fromRESP: $0.0, encoding: encoding),
                entries: try streamEntries($0.1, encoding: encoding))
        }
    }

    /// A reply of named fields: a RESP2 flat `[name, value, ...]` or a RESP3 map, keyed by name.
    static func namedFields(_ reply: RESPValue) throws -> [String: RESPValue] {
        var result: [String: RESPValue] = [:]
        switch reply {
        case .map(let pairs):
            for pair in pairs { result[try String(fromRESP: pair.key, encoding: .utf8)] = pair.value }
        case .attribute(_, let inner):
            return try namedFields(inner)
        default:
            let list = try items(reply)
            guard list.count % 2 == 0 else {
                throw UnexpectedReplyError("expected name/value pairs, got \(reply.preview)")
            }
            var index = 0
            while index < list.count {
                result[try String(fromRESP: list[index], encoding: .utf8)] = list[index + 1]
                index += 2
            }
        }
        return result
    }

    /// The field `name` of an XINFO reply, decoded as `T`; throws if it is missing.
    static func requiredField<T: RESPValueDecodable>(
        _ fields: [String: RESPValue], _ name: String, _ type: T.Type, encoding: RedisEncoding = .utf8
    ) throws -> T {
        guard let value = fields[name] else { throw UnexpectedReplyError("reply has no '\(name)': \(fields)") }
        return try T(fromRESP: value, encoding: encoding)
    }

    /// The field `name` decoded as `T`; nil when missing or null.
    static func optionalField<T: RESPValueDecodable>(
        _ fields: [String: RESPValue], _ name: String, _ type: T.Type, encoding: RedisEncoding = .utf8
    ) throws -> T? {
        guard let value = fields[name], !value.isNull else { return nil }
        return try T(fromRESP: value, encoding: encoding)
    }

    static func streamInfo(_ reply: RESPValue, encoding: RedisEncoding) throws -> StreamInfo {
        let fields = try namedFields(reply)
        return StreamInfo(
            length: try requiredField(fields, "length", Int.self),
            radixTreeKeys: try requiredField(fields, "radix-tree-keys", Int.self),
            radixTreeNodes: try requiredField(fields, "radix-tree-nodes", Int.self),
            groups: try requiredField(fields, "groups", Int.self),
            lastGeneratedID: try requiredField(fields, "last-generated-id", String.self),
            maxDeletedEntryID: try optionalField(fields, "max-deleted-entry-id", String.self),
            entriesAdded: try optionalField(fields, "entries-added", Int.self),
            recordedFirstEntryID: try optionalField(fields, "recorded-first-entry-id", String.self),
            firstEntry: try fields["first-entry"].flatMap { try streamEntry($0, encoding: encoding) },
            lastEntry: try fields["last-entry"].flatMap { try streamEntry($0, encoding: encoding) },
            raw: fields)
    }

    static func streamGroupInfo(_ reply: RESPValue, encoding: RedisEncoding) throws -> StreamGroupInfo {
        let fields = try namedFields(reply)
        return StreamGroupInfo(
            name: try requiredField(fields, "name", String.self, encoding: encoding),
            consumers: try requiredField(fields, "consumers", Int.self),
            pending: try requiredField(fields, "pending", Int.self),
            lastDeliveredID: try requiredField(fields, "last-delivered-id", String.self),
            entriesRead: try optionalField(fields, "entries-read", Int.self),
            lag: try optionalField(fields, "lag", Int.self))
    }

    static func streamConsumerInfo(_ reply: RESPValue, encoding: RedisEncoding) throws -> StreamConsumerInfo {
        let fields = try namedFields(reply)
        return StreamConsumerInfo(
            name: try requiredField(fields, "name", String.self, encoding: encoding),
            pending: try requiredField(fields, "pending", Int.self),
            idleMilliseconds: try requiredField(fields, "idle", Int.self),
            inactiveMilliseconds: try optionalField(fields, "inactive", Int.self))
    }

    /// XPENDING's summary `[count, smallest, greatest, [[consumer, count], ...]]`.
    static func streamPendingSummary(_ reply: RESPValue, encoding: RedisEncoding) throws -> StreamPendingSummary {
        let parts = try items(reply)
        guard parts.count == 4 else { throw UnexpectedReplyError("XPENDING answered \(reply.preview)") }
        let consumers = try items(parts[3]).map { item in
            let pair = try items(item)
            guard pair.count == 2 else { throw UnexpectedReplyError("expected [consumer, count], got \(item.preview)") }
            return StreamConsumerPendingCount(
                name: try String(fromRESP: pair[0], encoding: encoding),
                count: try Int(fromRESP: pair[1], encoding: .utf8))
        }
        return StreamPendingSummary(
            count: try Int(fromRESP: parts[0], encoding: .utf8),
            smallestID: try String?(fromRESP: parts[1], encoding: .utf8),
            greatestID: try String?(fromRESP: parts[2], encoding: .utf8),
            consumers: consumers)
    }

    /// One element of the extended XPENDING form: `[id, consumer, idle, deliveries]`.
    static func streamPendingEntry(_ reply: RESPValue, encoding: RedisEncoding) throws -> StreamPendingEntry {
        let parts = try items(reply)
        guard parts.count == 4 else { throw UnexpectedReplyError("expected a pending entry, got \(reply.preview)") }
        return StreamPendingEntry(
            id: try String(fromRESP: parts[0], encoding: .utf8),
            consumer: try String(fromRESP: parts[1], encoding: encoding),
            idleMilliseconds: try Int(fromRESP: parts[2], encoding: .utf8),
            deliveryCount: try Int(fromRESP: parts[3], encoding: .utf8))
    }

    /// XAUTOCLAIM: `[next, entries, deleted]` since Redis 7, `[next, entries]` in 6.2.
    static func streamAutoClaim(_ reply: RESPValue, encoding: RedisEncoding) throws -> StreamAutoClaimResult {
        let parts = try items(reply)
        guard parts.count == 2 || parts.count == 3 else {
            throw UnexpectedReplyError("XAUTOCLAIM answered \(reply.preview)")
        }
        return StreamAutoClaimResult(
            nextStart: try String(fromRESP: parts[0], encoding: .utf8),
            entries: try streamEntries(parts[1], encoding: encoding),
            deletedIDs: parts.count == 3 ? try items(parts[2]).map { try String(fromRESP: $0, encoding: .utf8) } : [])
    }
}
