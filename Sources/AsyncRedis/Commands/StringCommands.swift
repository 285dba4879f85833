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
extension Redis {
    /// APPEND: the length of the string afterwards.
    @discardableResult
    public func append(_ key: String, _ value: some RedisArgument) async throws -> Int {
        try await send("APPEND", [key, value], as: Int.self)
    }

    /// BITCOUNT, over the whole string or the byte range `start...end` (both needed, as Redis requires).
    public func bitcount(_ key: String, start: Int? = nil, end: Int? = nil) async throws -> Int {
        var arguments: [any RedisArgument] = [key]
        switch (start, end) {
        case (nil, nil): break
        case let (start?, end?): arguments += [start, end]
        default: throw InvalidArgumentError("bitcount needs both start and end, or neither")
        }
        return try await send("BITCOUNT", arguments, as: Int.self)
    }

    /// BITFIELD: one reply per GET/SET/INCRBY, nil where OVERFLOW FAIL stopped an increment.
    public func bitfield(_ key: String, _ operations: [BitFieldOperation]) async throws -> [Int?] {
        try await bitfield(key, arguments: operations.flatMap(\.arguments))
    }

    /// BITFIELD with its sub-commands spelled out as raw arguments.
    public func bitfield(_ key: String, arguments: [any RedisArgument]) async throws -> [Int?] {
        try await send("BITFIELD", [key] + arguments, as: [Int?].self)
    }

    /// BITOP AND into `destination`: the length of the result.
    @discardableResult
    public func bitopAnd(_ destination: String, _ key: String, _ keys: String...) async throws -> Int {
        try await send("BITOP", ["AND", destination, key] + keys, as: Int.self)
    }

    /// BITOP OR into `destination`; returns its length.
    @discardableResult
    public func bitopOr(_ destination: String, _ key: String, _ keys: String...) async throws -> Int {
        try await send("BITOP", ["OR", destination, key] + keys, as: Int.self)
    }

    /// BITOP XOR into `destination`; returns its length.
    @discardableResult
    public func bitopXor(_ destination: String, _ key: String, _ keys: String...) async throws -> Int {
        try await send("BITOP", ["XOR", destination, key] + keys, as: Int.self)
    }

    /// BITOP NOT into `destination`; returns its length.
    @discardableResult
    public func bitopNot(_ destination: String, _ key: String) async throws -> Int {
        try await send("BITOP", ["NOT", destination, key], as: Int.self)
    }

    /// BITPOS: the first bit set to `bit` (0 or 1), optionally within bytes `start...end`; -1 if none.
    public func bitpos(_ key: String, bit: Int, start: Int? = nil, end: Int? = nil) async throws -> Int {
        guard bit == 0 || bit == 1 else { throw InvalidArgumentError("bit must be 0 or 1, got \(bit)") }
        if end != nil && start == nil { throw InvalidArgumentError("bitpos: end needs start") }
        var arguments: [any RedisArgument] = [key, bit]
        if let start { arguments.append(start) }
        if let end { arguments.append(end) }
        return try await send("BITPOS", arguments, as: Int.self)
    }

    /// DECR: subtracts 1; returns the new value.
    @discardableResult
    public func decr(_ key: String) async throws -> Int {
        try await send("DECR", [key], as: Int.self)
    }

    /// DECRBY: subtracts `decrement`; returns the new value.
    @discardableResult
    public func decrby(_ key: String, _ decrement: Int) async throws -> Int {
        try await send("DECRBY", [key, decrement], as: Int.self)
    }

    /// INCR: adds 1; returns the new value.
    @discardableResult
    public func incr(_ key: String) async throws -> Int {
        try await send("INCR", [key], as: Int.self)
    }

    /// INCRBY: adds `increment`; returns the new value.
    @discardableResult
    public func incrby(_ key: String, _ increment: Int) async throws -> Int {
        try await send("INCRBY", [key, increment], as: Int.self)
    }

    /// INCRBYFLOAT: the new value.
    @discardableResult
    public func incrbyfloat(_ key: String, _ increment: Double) async throws -> Double {
        try await send("INCRBYFLOAT", [key, increment], as: Double.self)
    }

    /// GET as text; nil when the key does not exist.
    public func get(_ key: String, encoding: RedisEncoding? = nil) async throws -> String? {
        try await send("GET", [key], as: String?.self, encoding: encoding)
    }

    /// GET decoded as `T` (`[UInt8]`, `ByteBuffer`, `Int`, ...).
    public func get<T: RESPValueDecodable>(_ key: String, as type: T.Type) async throws -> T? {
        try await send("GET", [key], as: T?.self)
    }

    /// GETBIT: 0 or 1.
    public func getbit(_ key: String, _ offset: Int) async throws -> Int {
        try await send("GETBIT", [key, offset], as: Int.self)
    }

    /// GETDEL: the value, then the key is gone.
    public func getdel(_ key: String, encoding: RedisEncoding? = nil) async throws -> String? {
        try await send("GETDEL", [key], as: String?.self, encoding: encoding)
    }

    /// GETDEL decoded as `T`.
    public func getdel<T: RESPValueDecodable>(_ key: String, as type: T.Type) async throws -> T? {
        try await send("GETDEL", [key], as: T?.self)
    }

    /// GETEX: the value, changing its timeout (`expire`, or `pexpire` sent in milliseconds) or removing it
    /// (`persist`). See TimeArguments.swift for how durations are sent.
    public func getex(
        _ key: String, expire: Duration? = nil, pexpire: Duration? = nil, persist: Bool = false,
        encoding: RedisEncoding? = nil
    ) async throws -> String? {
        guard [expire != nil, pexpire != nil, persist].filter({ $0 }).count <= 1 else {
            throw InvalidArgumentError("getex takes at most one of expire, pexpire and persist")
        }
        var arguments: [any RedisArgument] = [key]
        arguments += try Self.expiryArguments(expire: expire, pexpire: pexpire)
        if persist { arguments.append("PERSIST") }
        return try await send("GETEX", arguments, as: String?.self, encoding: encoding)
    }

    /// GETRANGE: the substring of bytes `start...end` (negative counts from the end).
    public func getrange(_ key: String, start: Int, end: Int, encoding: RedisEncoding? = nil) async throws -> String {
        try await send("GETRANGE", [key, start, end], as: String.self, encoding: encoding)
    }

    /// GETSET: the old value.
    public func getset(_ key: String, _ value: some RedisArgument, encoding: RedisEncoding? = nil)
        async throws -> String?
    {
        try await send("GETSET", [key, value], as: String?.self, encoding: encoding)
    }

    /// MGET: one value per key, nil where missing.
    public func mget(_ key: String, _ keys: String..., encoding: RedisEncoding? = nil) async throws -> [String?] {
        try await mget([key] + keys, encoding: encoding)
    }

    /// MGET of a list of keys (none: `[]`, without asking the server).
    public func mget(_ keys: [String], encoding: RedisEncoding? = nil) async throws -> [String?] {
        guard !keys.isEmpty else { return [] }
        return try await send("MGET", keys, as: [String?].self, encoding: encoding)
    }

    /// MGET decoded as `T`, nil for each missing key.
    public func mget<T: RESPValueDecodable>(_ keys: [String], as type: T.Type) async throws -> [T?] {
        guard !keys.isEmpty else { return [] }
        return try await send("MGET", keys, as: [T?].self)
    }

    /// MSET from key/value pairs.
    @discardableResult
    public func mset(_ pair: (String, any RedisArgument), _ pairs: (String, any RedisArgument)...)
        async throws -> Bool
    {
        try await sendOK("MSET", Self.flatten([pair] + pairs))
    }

    /// MSET from a dictionary.
    @discardableResult
    public func mset(_ values: [String: some RedisArgument]) async throws -> Bool {
        guard !values.isEmpty else { throw InvalidArgumentError("mset needs at least one key") }
        return try await sendOK("MSET", Self.flatten(values.map { ($0.key, $0.value) }))
    }

    /// MSETNX: true when every key was set, false (nothing set) when any existed.
    @discardableResult
    public func msetnx(_ pair: (String, any RedisArgument), _ pairs: (String, any RedisArgument)...)
        async throws -> Bool
    {
        try await send("MSETNX", Self.flatten([pair] + pairs), as: Bool.self)
    }

    /// MSETNX: sets every key only if none exists; returns whether it did.
    @discardableResult
    public func msetnx(_ values: [String: some RedisArgument]) async throws -> Bool {
        guard !values.isEmpty else { throw InvalidArgumentError("msetnx needs at least one key") }
        return try await send("MSETNX", Self.flatten(values.map { ($0.key, $0.value) }), as: Bool.self)
    }

    static func flatten(_ pairs: [(String, any RedisArgument)]) -> [any RedisArgument] {
        var arguments: [any RedisArgument] = []
        arguments.reserveCapacity(pairs.count * 2)
        for (key, value) in pairs {
            arguments.append(key)
            arguments.append(value)
        }
        return arguments
    }

    /// PSETEX: set with a timeout, sent in milliseconds.
    @discardableResult
    public func psetex(_ key: String, milliseconds: Duration, _ value: some RedisArgument) async throws -> Bool {
        try await sendOK("PSETEX", [key, try Self.positiveMilliseconds(milliseconds, "milliseconds"), value])
    }

    /// SETEX: set with a timeout; sent as PSETEX when it is not a whole number of seconds.
    @discardableResult
    public func setex(_ key: String, seconds: Duration, _ value: some RedisArgument) async throws -> Bool {
        let millis = try Self.positiveMilliseconds(seconds, "seconds")
        if millis % 1000 == 0 { return try await sendOK("SETEX", [key, millis / 1000, value]) }
        return try await sendOK("PSETEX", [key, millis, value])
    }

    /// SETNX: true when the key was set (it did not exist).
    @discardableResult
    public func setnx(_ key: String, _ value: some RedisArgument) async throws -> Bool {
        try await send("SETNX", [key, value], as: Bool.self)
    }

    /// SET with its options: `expire` (EX, or PX when not whole seconds), `pexpire` (PX), `exist` (NX/XX),
    /// `keepTTL`. See TimeArguments.swift for how durations are sent.
    /// Returns true when the value was set, false when NX/XX prevented it.
    @discardableResult
    public func set(
        _ key: String, _ value: some RedisArgument, expire: Duration? = nil, pexpire: Duration? = nil,
        exist: SetCondition? = nil, keepTTL: Bool = false
    ) async throws -> Bool {
        let arguments = try Self.setArguments(
            key, value, expire: expire, pexpire: pexpire, exist: exist, keepTTL: keepTTL, get: false)
        return try await sendOK("SET", arguments)
    }

    /// SET ... GET: sets (unless `exist` prevents it) and returns the old value, nil if there was none.
    public func setGet(
        _ key: String, _ value: some RedisArgument, expire: Duration? = nil, pexpire: Duration? = nil,
        exist: SetCondition? = nil, keepTTL: Bool = false, encoding: RedisEncoding? = nil
    ) async throws -> String? {
        let arguments = try Self.setArguments(
            key, value, expire: expire, pexpire: pexpire, exist: exist, keepTTL: keepTTL, get: true)
        return try await send("SET", arguments, as: String?.self, encoding: encoding)
    }

    static func setArguments(
        _ key: String, _ value: any RedisArgument, expire: Duration?, pexpire: Duration?, exist: SetCondition?,
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

    /// SETBIT: the bit's previous value.
    @discardableResult
    public func setbit(_ key: String, _ offset: Int, _ value: Int) async throws -> Int {
        guard value == 0 || value == 1 else { throw InvalidArgumentError("bit value must be 0 or 1, got \(value)") }
        return try await send("SETBIT", [key, offset, value], as: Int.self)
    }

    /// SETRANGE: the length of the string afterwards.
    @discardableResult
    public func setrange(_ key: String, _ offset: Int, _ value: some RedisArgument) async throws -> Int {
        try await send("SETRANGE", [key, offset, value], as: Int.self)
    }

    /// STRLEN: the length of the value (0 for a missing key).
    public func strlen(_ key: String) async throws -> Int {
        try await send("STRLEN", [key], as: Int.self)
    }
}
