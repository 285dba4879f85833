/// SET's NX/XX (aioredis `SET_IF_EXIST` / `SET_IF_NOT_EXIST`), also ZADD's.
public enum SetCondition: Sendable, Hashable {
    /// XX: only if the key (member) already exists.
    case ifExists
    /// NX: only if it does not.
    case ifNotExists

    var keyword: String { self == .ifExists ? "XX" : "NX" }
}

/// One BITFIELD sub-command. `type` is Redis's spelling: `i8`, `u4`, ...; `offset` may be `#2` for type-width units.
public enum BitFieldOperation: Sendable, Hashable {
    /// GET: reads an integer of `type` at `offset`.
    case get(type: String, offset: String)
    /// SET: writes `value`; the reply is the old value.
    case set(type: String, offset: String, value: Int)
    /// INCRBY: adds `increment`; the reply is the new value.
    case incrby(type: String, offset: String, increment: Int)
    /// OVERFLOW: how the following SET and INCRBY overflow.
    case overflow(BitFieldOverflow)

    var arguments: [any RedisArgument] {
        switch self {
        case .get(let type, let offset): return ["GET", type, offset]
        case .set(let type, let offset, let value): return ["SET", type, offset, value]
        case .incrby(let type, let offset, let increment): return ["INCRBY", type, offset, increment]
        case .overflow(let mode): return ["OVERFLOW", mode.rawValue]
        }
    }
}

/// BITFIELD's OVERFLOW behaviour.
public enum BitFieldOverflow: String, Sendable, Hashable {
    /// WRAP around, SATurate at the bounds, or FAIL (the reply is nil).
    case wrap = "WRAP", sat = "SAT", fail = "FAIL"
}

// String commands, aioredis `StringCommandsMixin`.
extension RedisCommands {
    /// APPEND: the length of the string afterwards.
    @discardableResult
    public func append(_ key: some RedisKeyConvertible, _ value: some RedisArgument) throws -> RedisCommand<Int> {
        try send("APPEND", [key, value], as: Int.self)
    }

    /// BITCOUNT, over the whole string or the byte range `start...end` (both needed, as Redis requires).
    public func bitcount(_ key: some RedisKeyConvertible, start: Int? = nil, end: Int? = nil)
        throws -> RedisCommand<Int>
    {
        var arguments: [any RedisArgument] = [key]
        switch (start, end) {
        case (nil, nil): break
        case let (start?, end?): arguments += [start, end]
        default: throw InvalidArgumentError("bitcount needs both start and end, or neither")
        }
        return try send("BITCOUNT", arguments, as: Int.self)
    }

    /// BITFIELD: one reply per GET/SET/INCRBY, nil where OVERFLOW FAIL stopped an increment.
    public func bitfield(_ key: some RedisKeyConvertible, _ operations: [BitFieldOperation])
        throws -> RedisCommand<[Int?]>
    {
        try bitfield(key, arguments: operations.flatMap(\.arguments))
    }

    /// BITFIELD with its sub-commands spelled out as raw arguments.
    public func bitfield(_ key: some RedisKeyConvertible, arguments: [any RedisArgument])
        throws -> RedisCommand<[Int?]>
    {
        try send("BITFIELD", [key] + arguments, as: [Int?].self)
    }

    /// BITOP AND into `destination`: the length of the result.
    @discardableResult
    public func bitopAnd(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try bitopAndListForm(destination, key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func bitopAndListForm(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("BITOP", ["AND", destination, key] + keys, as: Int.self)
    }

    /// BITOP OR into `destination`; returns its length.
    @discardableResult
    public func bitopOr(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try bitopOrListForm(destination, key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func bitopOrListForm(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("BITOP", ["OR", destination, key] + keys, as: Int.self)
    }

    /// BITOP XOR into `destination`; returns its length.
    @discardableResult
    public func bitopXor(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try bitopXorListForm(destination, key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func bitopXorListForm(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible,
            _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("BITOP", ["XOR", destination, key] + keys, as: Int.self)
    }

    /// BITOP NOT into `destination`; returns its length.
    @discardableResult
    public func bitopNot(_ destination: some RedisKeyConvertible, _ key: some RedisKeyConvertible)
        throws -> RedisCommand<Int>
    {
        try send("BITOP", ["NOT", destination, key], as: Int.self)
    }

    /// BITPOS: the first bit set to `bit` (0 or 1), optionally within bytes `start...end`; -1 if none.
    public func bitpos(_ key: some RedisKeyConvertible, bit: Int, start: Int? = nil, end: Int? = nil)
        throws -> RedisCommand<Int>
    {
        guard bit == 0 || bit == 1 else { throw InvalidArgumentError("bit must be 0 or 1, got \(bit)") }
        if end != nil && start == nil { throw InvalidArgumentError("bitpos: end needs start") }
        var arguments: [any RedisArgument] = [key, bit]
        if let start { arguments.append(start) }
        if let end { arguments.append(end) }
        return try send("BITPOS", arguments, as: Int.self)
    }

    /// DECR: subtracts 1; returns the new value.
    @discardableResult
    public func decr(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("DECR", [key], as: Int.self)
    }

    /// DECRBY: subtracts `decrement`; returns the new value.
    @discardableResult
    public func decrby(_ key: some RedisKeyConvertible, _ decrement: Int) throws -> RedisCommand<Int> {
        try send("DECRBY", [key, decrement], as: Int.self)
    }

    /// INCR: adds 1; returns the new value.
    @discardableResult
    public func incr(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("INCR", [key], as: Int.self)
    }

    /// INCRBY: adds `increment`; returns the new value.
    @discardableResult
    public func incrby(_ key: some RedisKeyConvertible, _ increment: Int) throws -> RedisCommand<Int> {
        try send("INCRBY", [key, increment], as: Int.self)
    }

    /// INCRBYFLOAT: the new value.
    @discardableResult
    public func incrbyfloat(_ key: some RedisKeyConvertible, _ increment: Double) throws -> RedisCommand<Double> {
        try send("INCRBYFLOAT", [key, increment], as: Double.self)
    }

    /// GET as text; nil when the key does not exist.
    public func get(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil) throws -> RedisCommand<String?> {
        try send("GET", [key], as: String?.self, encoding: encoding)
    }

    /// GET decoded as `T` (`[UInt8]`, `ByteBuffer`, `Int`, ...).
    public func get<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, as type: T.Type)
        throws -> RedisCommand<T?>
    {
        try send("GET", [key], as: T?.self)
    }

    /// GETBIT: 0 or 1.
    public func getbit(_ key: some RedisKeyConvertible, _ offset: Int) throws -> RedisCommand<Int> {
        try send("GETBIT", [key, offset], as: Int.self)
    }

    /// GETDEL: the value, then the key is gone.
    public func getdel(_ key: some RedisKeyConvertible, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String?>
    {
        try send("GETDEL", [key], as: String?.self, encoding: encoding)
    }

    /// GETDEL decoded as `T`.
    public func getdel<T: RESPValueDecodable>(_ key: some RedisKeyConvertible, as type: T.Type)
        throws -> RedisCommand<T?>
    {
        try send("GETDEL", [key], as: T?.self)
    }

    /// GETEX: the value, changing its timeout (`expire`, or `pexpire` sent in milliseconds) or removing it
    /// (`persist`). See TimeArguments.swift for how durations are sent.
    public func getex(
        _ key: some RedisKeyConvertible, expire: Duration? = nil, pexpire: Duration? = nil, persist: Bool = false,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<String?> {
        guard [expire != nil, pexpire != nil, persist].filter({ $0 }).count <= 1 else {
            throw InvalidArgumentError("getex takes at most one of expire, pexpire and persist")
        }
        var arguments: [any RedisArgument] = [key]
        arguments += try Redis.expiryArguments(expire: expire, pexpire: pexpire)
        if persist { arguments.append("PERSIST") }
        return try send("GETEX", arguments, as: String?.self, encoding: encoding)
    }

    /// GETRANGE: the substring of bytes `start...end` (negative counts from the end).
    public func getrange(_ key: some RedisKeyConvertible, start: Int, end: Int, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String>
    {
        try send("GETRANGE", [key, start, end], as: String.self, encoding: encoding)
    }

    /// GETSET: the old value.
    public func getset(_ key: some RedisKeyConvertible, _ value: some RedisArgument, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String?>
    {
        try send("GETSET", [key, value], as: String?.self, encoding: encoding)
    }

    /// MGET: one value per key, nil where missing.
    public func mget(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...,
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String?]>
    {
        try mgetListForm(key, keys, encoding: encoding)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func mgetListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible],
            encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String?]>
    {
        try mget([key] + keys, encoding: encoding)
    }

    /// MGET of a list of keys; `Redis.mget([])` answers `[]` without asking the server, the command needs a key.
    // Redis method hand-written: it answers an empty list itself.
    public func mget(_ keys: [any RedisKeyConvertible], encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[String?]>
    {
        guard !keys.isEmpty else { throw InvalidArgumentError("MGET needs at least one key") }
        return try send("MGET", keys, as: [String?].self, encoding: encoding)
    }

    /// MGET decoded as `T`, nil for each missing key (the command needs a key; `Redis.mget([], as:)` answers `[]`).
    // Redis method hand-written: it answers an empty list itself.
    public func mget<T: RESPValueDecodable>(_ keys: [any RedisKeyConvertible], as type: T.Type)
        throws -> RedisCommand<[T?]>
    {
        guard !keys.isEmpty else { throw InvalidArgumentError("MGET needs at least one key") }
        return try send("MGET", keys, as: [T?].self)
    }

    /// MSET from key/value pairs.
    @discardableResult
    public func mset(_ pair: (String, any RedisArgument), _ pairs: (String, any RedisArgument)...)
        throws -> RedisCommand<Bool>
    {
        try msetListForm(pair, pairs)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func msetListForm(_ pair: (String, any RedisArgument), _ pairs: [(String, any RedisArgument)])
        throws -> RedisCommand<Bool>
    {
        try sendOK("MSET", Redis.flatten([pair] + pairs))
    }

    /// MSET from a dictionary.
    @discardableResult
    public func mset(_ values: [String: some RedisArgument]) throws -> RedisCommand<Bool> {
        guard !values.isEmpty else { throw InvalidArgumentError("mset needs at least one key") }
        return try sendOK("MSET", Redis.flatten(values.map { ($0.key, $0.value) }))
    }

    /// MSETNX: true when every key was set, false (nothing set) when any existed.
    @discardableResult
    public func msetnx(_ pair: (String, any RedisArgument), _ pairs: (String, any RedisArgument)...)
        throws -> RedisCommand<Bool>
    {
        try msetnxListForm(pair, pairs)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func msetnxListForm(_ pair: (String, any RedisArgument), _ pairs: [(String, any RedisArgument)])
        throws -> RedisCommand<Bool>
    {
        try send("MSETNX", Redis.flatten([pair] + pairs), as: Bool.self)
    }

    /// MSETNX: sets every key only if none exists; returns whether it did.
    @discardableResult
    public func msetnx(_ values: [String: some RedisArgument]) throws -> RedisCommand<Bool> {
        guard !values.isEmpty else { throw InvalidArgumentError("msetnx needs at least one key") }
        return try send("MSETNX", Redis.flatten(values.map { ($0.key, $0.value) }), as: Bool.self)
    }

    /// PSETEX: set with a timeout, sent in milliseconds.
    @discardableResult
    public func psetex(_ key: some RedisKeyConvertible, milliseconds: Duration, _ value: some RedisArgument)
        throws -> RedisCommand<Bool>
    {
        try sendOK("PSETEX", [key, try Redis.positiveMilliseconds(milliseconds, "milliseconds"), value])
    }

    /// SETEX: set with a timeout; sent as PSETEX when it is not a whole number of seconds.
    @discardableResult
    public func setex(_ key: some RedisKeyConvertible, seconds: Duration, _ value: some RedisArgument)
        throws -> RedisCommand<Bool>
    {
        let millis = try Redis.positiveMilliseconds(seconds, "seconds")
        if millis % 1000 == 0 { return try sendOK("SETEX", [key, millis / 1000, value]) }
        return try sendOK("PSETEX", [key, millis, value])
    }

    /// SETNX: true when the key was set (it did not exist).
    @discardableResult
    public func setnx(_ key: some RedisKeyConvertible, _ value: some RedisArgument) throws -> RedisCommand<Bool> {
        try send("SETNX", [key, value], as: Bool.self)
    }

    /// SET with its options: `expire` (EX, or PX when not whole seconds), `pexpire` (PX), `exist` (NX/XX),
    /// `keepTTL`. See TimeArguments.swift for how durations are sent.
    /// Returns true when the value was set, false when NX/XX prevented it.
    @discardableResult
    public func set(
        _ key: some RedisKeyConvertible, _ value: some RedisArgument, expire: Duration? = nil, pexpire: Duration? = nil,
        exist: SetCondition? = nil, keepTTL: Bool = false
    ) throws -> RedisCommand<Bool> {
        let arguments = try Redis.setArguments(
            key, value, expire: expire, pexpire: pexpire, exist: exist, keepTTL: keepTTL, get: false)
        return try sendOK("SET", arguments)
    }

    /// SET ... GET: sets (unless `exist` prevents it) and returns the old value, nil if there was none.
    public func setGet(
        _ key: some RedisKeyConvertible, _ value: some RedisArgument, expire: Duration? = nil, pexpire: Duration? = nil,
        exist: SetCondition? = nil, keepTTL: Bool = false, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<String?> {
        let arguments = try Redis.setArguments(
            key, value, expire: expire, pexpire: pexpire, exist: exist, keepTTL: keepTTL, get: true)
        return try send("SET", arguments, as: String?.self, encoding: encoding)
    }

    /// SETBIT: the bit's previous value.
    @discardableResult
    public func setbit(_ key: some RedisKeyConvertible, _ offset: Int, _ value: Int) throws -> RedisCommand<Int> {
        guard value == 0 || value == 1 else { throw InvalidArgumentError("bit value must be 0 or 1, got \(value)") }
        return try send("SETBIT", [key, offset, value], as: Int.self)
    }

    /// SETRANGE: the length of the string afterwards.
    @discardableResult
    public func setrange(_ key: some RedisKeyConvertible, _ offset: Int, _ value: some RedisArgument)
        throws -> RedisCommand<Int>
    {
        try send("SETRANGE", [key, offset, value], as: Int.self)
    }

    /// STRLEN: the length of the value (0 for a missing key).
    public func strlen(_ key: some RedisKeyConvertible) throws -> RedisCommand<Int> {
        try send("STRLEN", [key], as: Int.self)
    }
}

extension Redis {

    static func flatten(_ pairs: [(String, any RedisArgument)]) -> [any RedisArgument] {
        var arguments: [any RedisArgument] = []
        arguments.reserveCapacity(pairs.count * 2)
        for (key, value) in pairs {
            arguments.append(key)
            arguments.append(value)
        }
        return arguments
    }

    static func setArguments(
        _ key: any RedisKeyConvertible, _ value: any RedisArgument, expire: Duration?, pexpire: Duration?,
            exist: SetCondition?,
        keepTTL: Bool, get: Bool
    ) throws -> [any RedisArgument] {
        guard [expire != nil, pexpire != nil, keepTTL].filter({ $0 }).count <= 1 else {
            throw InvalidArgumentError("set takes at most one of expire, pexpire and keepTTL")
        }
        var arguments: [any RedisArgument] = [key, value]
        arguments += try expiryArguments(expire: expire, pexpire: pexpire)
        if let exist { arguments.append(exist.keyword) }
        if keepTTL { arguments.append("KEEPTTL") }
        if get { arguments.append("GET") }
        return arguments
    }
}

extension Redis {
    /// MGET of a list of keys (none: `[]`, without asking the server).
    ///
    /// Redis `MGET`: Get the values of all the given keys
    /// - Since: Redis 1.0.0
    /// - Complexity: O(N) where N is the number of keys to retrieve.
    public func mget(_ keys: [any RedisKeyConvertible], encoding: RedisEncoding? = nil) async throws -> [String?] {
        keys.isEmpty ? [] : try await execute(RedisCommands().mget(keys, encoding: encoding))
    }

    /// MGET decoded as `T`, nil for each missing key (none: `[]`, without asking the server).
    ///
    /// Redis `MGET`: Get the values of all the given keys
    /// - Since: Redis 1.0.0
    /// - Complexity: O(N) where N is the number of keys to retrieve.
    public func mget<T: RESPValueDecodable>(_ keys: [any RedisKeyConvertible], as type: T.Type) async throws -> [T?] {
        keys.isEmpty ? [] : try await execute(RedisCommands().mget(keys, as: type))
    }
}
