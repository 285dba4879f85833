// Redis 7 functions: FUNCTION LOAD/LIST/DELETE/FLUSH/KILL, FCALL and FCALL_RO.
//
// Functions live in libraries the server keeps (and persists and replicates), shared by every client: unlike
// EVAL scripts they are called by name, and a library is loaded once rather than resent.

/// A library of functions, as FUNCTION LIST describes it.
public struct RedisFunctionLibrary: Sendable, Hashable {
    /// The library name.
    public var libraryName: String
    /// The engine that runs it: `LUA`.
    public var engine: String
    /// The functions the library registers.
    public var functions: [RedisFunction]
    /// The library's source; only when listed with `withCode`.
    public var code: String?

    /// A library from its parts.
    public init(libraryName: String, engine: String, functions: [RedisFunction], code: String? = nil) {
        self.libraryName = libraryName
        self.engine = engine
        self.functions = functions
        self.code = code
    }
}

/// One function of a library.
public struct RedisFunction: Sendable, Hashable {
    /// The function name.
    public var name: String
    /// The description given at registration, nil when there was none.
    public var description: String?
    /// The flags given at registration: `no-writes`, `allow-oom`, `allow-stale`, `no-cluster`,
    /// `allow-cross-slot-keys`.
    public var flags: [String]

    /// A function from its parts.
    public init(name: String, description: String? = nil, flags: [String] = []) {
        self.name = name
        self.description = description
        self.flags = flags
    }
}

/// FUNCTION FLUSH's mode.
public enum FunctionFlushMode: String, Sendable, Hashable {
    /// ASYNC: the libraries are freed in the background.
    case async = "ASYNC"
    /// SYNC: freed before the reply.
    case sync = "SYNC"
}

extension RedisCommands {
    /// FUNCTION LOAD: loads a library and returns its name (from the `#!lua name=<library>` first line).
    /// A library of that name already loaded throws `ReplyError` `ERR` unless `replace` is set; so does a
    /// function name another library already registered, and code that does not compile.
    @discardableResult
    public func functionLoad(_ code: String, replace: Bool = false) throws -> RedisCommand<String> {
        try send("FUNCTION", replace ? ["LOAD", "REPLACE", code] : ["LOAD", code], as: String.self,
                       encoding: .utf8)
    }

    /// FCALL: calls the loaded function `function` with `keys` (its `keys` table) and `args` (its `args`);
    /// returns the raw reply.
    public func fcall(_ function: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = []) throws
        -> RedisCommand<RESPValue>
    {
        try send("FCALL", Redis.scriptArguments(function, keys: keys, args: args))
    }

    /// FCALL, the reply decoded as `T`.
    public func fcall<T: RESPValueDecodable>(
        _ function: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = [], as type: T.Type,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<T> {
        try send("FCALL", Redis.scriptArguments(function, keys: keys, args: args), as: type, encoding: encoding)
    }

    /// FCALL_RO: as `fcall`, for functions registered with the `no-writes` flag (it may run on a read-only
    /// replica); any other function throws `ReplyError` `ERR`.
    public func fcallRO(_ function: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = []) throws
        -> RedisCommand<RESPValue>
    {
        try send("FCALL_RO", Redis.scriptArguments(function, keys: keys, args: args))
    }

    /// FCALL_RO, the reply decoded as `T`.
    public func fcallRO<T: RESPValueDecodable>(
        _ function: String, keys: [any RedisKeyConvertible] = [], args: [any RedisArgument] = [], as type: T.Type,
        encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<T> {
        try send("FCALL_RO", Redis.scriptArguments(function, keys: keys, args: args), as: type,
                       encoding: encoding)
    }

    /// FUNCTION LIST: the loaded libraries, or those whose name matches the glob pattern `libraryName`;
    /// `withCode` includes each library's source.
    public func functionList(libraryName: String? = nil, withCode: Bool = false, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<[RedisFunctionLibrary]>
    {
        var arguments: [any RedisArgument] = ["LIST"]
        if let libraryName { arguments += ["LIBRARYNAME", libraryName] }
        if withCode { arguments.append("WITHCODE") }
                return try send("FUNCTION", arguments).encoded(with: encoding).map { reply, text in
            try Redis.items(reply).map {
                try Redis.functionLibrary($0, encoding: text)
            }
        }
    }

    /// FUNCTION DELETE: removes a library and its functions; true on success, `ReplyError` `ERR` when there is no
    /// such library.
    @discardableResult
    public func functionDelete(_ libraryName: String) throws -> RedisCommand<Bool> {
        try sendOK("FUNCTION", ["DELETE", libraryName])
    }

    /// FUNCTION FLUSH: removes every library, for every client of the server. Without `mode` the server's
    /// `lazyfree-lazy-user-flush` setting decides between ASYNC and SYNC.
    @discardableResult
    public func functionFlush(mode: FunctionFlushMode? = nil) throws -> RedisCommand<Bool> {
        try sendOK("FUNCTION", mode.map { ["FLUSH", $0.rawValue] } ?? ["FLUSH"])
    }

    /// FUNCTION KILL: stops the running function if it has not written anything (`NOTBUSY` error if none runs).
    @discardableResult
    public func functionKill() throws -> RedisCommand<Bool> {
        try sendOK("FUNCTION", ["KILL"])
    }
}

extension Redis {

    /// One library of FUNCTION LIST: a RESP2 flat list of names and values or a RESP3 map, its functions the same.
    static func functionLibrary(_ reply: RESPValue, encoding: RedisEncoding) throws -> RedisFunctionLibrary {
        let fields = try namedFields(reply)
        let functions = try items(try requiredField(fields, "functions", RESPValue.self)).map { function in
            let fields = try namedFields(function)
            return RedisFunction(
                name: try requiredField(fields, "name", String.self, encoding: encoding),
                description: try optionalField(fields, "description", String.self, encoding: encoding),
                flags: try items(fields["flags"] ?? .null).map { try String(fromRESP: $0, encoding: .utf8) })
        }
        return RedisFunctionLibrary(
            libraryName: try requiredField(fields, "library_name", String.self, encoding: encoding),
            engine: try requiredField(fields, "engine", String.self),
            functions: functions,
            code: try optionalField(fields, "library_code", String.self, encoding: encoding))
    }
}
