/// One command as a value: its name, its arguments (encoded when sent), and how its reply decodes.
///
/// Build one, then run it on anything that executes commands (a connection, a pool, `Redis`):
///
///     let get = RedisCommand<String?>("GET", ["greeting"])
///     let greeting = try await pool.execute(get)
///
/// Its key positions and flags come from the command table (`keyIndices`, `spec`), which is what a cluster
/// client routes on.
public struct RedisCommand<Response: Sendable>: Sendable {
    /// The command's name as sent (a container command's subcommand is the first argument).
    public let name: String
    /// The arguments after the name, in order.
    public let arguments: [any RedisArgument]
    /// Turns the reply into `Response`; `encoding` is the executor's (else UTF-8) and applies to text.
    public let decode: @Sendable (_ reply: RESPValue, _ encoding: RedisEncoding) throws -> Response
    /// The encoding text replies decode with, when the command says (a method's `encoding:` argument); else the
    /// executor's, else UTF-8.
    public private(set) var encoding: RedisEncoding?
    /// The script an EVALSHA runs, so that a batch can load it ahead of the command (`RedisScript.command`).
    var script: RedisScript?

    /// A command named `name` with `arguments`, whose reply `decode` turns into a `Response`.
    public init(
        _ name: String, _ arguments: [any RedisArgument] = [],
        decode: @escaping @Sendable (_ reply: RESPValue, _ encoding: RedisEncoding) throws -> Response
    ) {
        self.name = name
        self.arguments = arguments
        self.decode = decode
    }

    /// The same command with its text replies decoded with `encoding` (nil: the executor's).
    public func encoded(with encoding: RedisEncoding?) -> RedisCommand {
        var command = self
        command.encoding = encoding
        return command
    }

    /// The same command, its decoded reply passed through `transform` (which gets the encoding text decodes
    /// with): how a method shapes a reply into a type of its own.
    public func map<Shaped>(
        _ transform: @escaping @Sendable (_ reply: Response, _ encoding: RedisEncoding) throws -> Shaped
    ) -> RedisCommand<Shaped> {
        let decode = self.decode
        var shaped = RedisCommand<Shaped>(name, arguments) { reply, encoding in
            try transform(try decode(reply, encoding), encoding)
        }
        shaped.encoding = encoding
        shaped.script = script
        return shaped
    }

    /// Indices into `arguments` of the keys the command names, as the server finds them (`COMMAND GETKEYS`);
    /// `nil` when the command table does not know the command.
    public var keyIndices: [Int]? { RedisCommandTable.keyIndices(command: name, arguments: arguments) }

    /// What the command table says about the command (the subcommand's entry for a container command such as
    /// `XINFO STREAM`); `nil` when it is unknown.
    public var spec: RedisCommandSpec? { RedisCommandTable.spec(command: name, arguments: arguments) }
}

extension RedisCommand where Response: RESPValueDecodable {
    /// A command whose reply decodes as `Response` (`String?`, `Int`, `[String]`, `RESPValue`, ...).
    public init(_ name: String, _ arguments: [any RedisArgument] = [], as type: Response.Type = Response.self) {
        self.init(name, arguments) { reply, encoding in try Response(fromRESP: reply, encoding: encoding) }
    }
}

extension RedisCommandExecutor {
    /// Runs `command` and decodes its reply; `encoding` (else this executor's, else UTF-8) applies to text.
    @discardableResult
    public func execute<Response>(
        _ command: RedisCommand<Response>, encoding: RedisEncoding? = nil
    ) async throws -> Response {
        let reply = try await execute(command.name, arguments: command.arguments)
        return try command.decode(reply, encoding ?? command.encoding ?? self.encoding ?? .utf8)
    }
}
