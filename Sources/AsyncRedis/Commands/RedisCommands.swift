/// The command values behind `Redis`'s methods: one method per `Redis` command method, same name and arguments,
/// returning the `RedisCommand` that method sends instead of sending it.
///
/// Pipelines and MULTI/EXEC blocks queue these values (`pipe.queue { try $0.incr("visits") }`), and any executor
/// runs one (`try await pool.execute(RedisCommands().get("greeting"))`). Building a command never talks to a
/// server: it throws only for arguments Redis would refuse (`InvalidArgumentError`).
public struct RedisCommands: Sendable {
    /// The builder; it holds nothing, so any instance will do.
    public init() {}

    // MARK: Helpers shared by the command groups

    /// A command answered by a raw reply. (The helpers are `throws` so that every builder reads `try ...`.)
    func send(_ command: String, _ arguments: [any RedisArgument]) throws -> RedisCommand<RESPValue> {
        RedisCommand(command, arguments)
    }

    /// A command whose reply decodes as `T`; `encoding`, when given, decodes its text instead of the executor's.
    func send<T: RESPValueDecodable>(
        _ command: String, _ arguments: [any RedisArgument], as type: T.Type, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<T> {
        RedisCommand(command, arguments, as: type).encoded(with: encoding)
    }

    /// `command` under another name, with the same arguments, reply decoding and encoding: for the commands
    /// Redis offers under a second name (SORT_RO, GEORADIUS_RO, RESTORE-ASKING, SUBSTR, CLUSTER SLAVES).
    func renamed<T>(_ command: RedisCommand<T>, _ name: String, firstArgument: String? = nil) -> RedisCommand<T> {
        let arguments = firstArgument.map { [$0] + command.arguments.dropFirst() } ?? command.arguments
        return RedisCommand(name, arguments, decode: command.decode).encoded(with: command.encoding)
    }

    /// A command answering a status line (`OK`, `Background saving started`) or nil when nothing was done: any
    /// status is true, nil is false, 0/1 integers are read as booleans.
    func sendOK(_ command: String, _ arguments: [any RedisArgument]) throws -> RedisCommand<Bool> {
        RedisCommand(command, arguments) { reply, _ in try Redis.status(reply) }
    }
}
