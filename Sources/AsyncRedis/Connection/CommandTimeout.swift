import NIOCore

/// How long a command may wait for its reply, per call.
///
/// A per-call limit is a task-local value, so it reaches every layer a call goes through (a pool, `Redis`'s typed
/// methods, a Sentinel pool) without each growing a `timeout:` parameter.
public enum RedisCommandTimeout {
    /// The limit set by `withCommandTimeout` for the calls of the current task; `nil` when none was set.
    @TaskLocal static var override: TimeAmount?

    /// The `commandTimeout` default of connections and pools: 30 seconds.
    public static let defaultTimeout: Duration = .seconds(30)
}

/// Runs `body` with every command it sends (on any connection, pool or `Redis`) limited to `timeout`, instead of
/// the connection's `commandTimeout`. A call past it fails with `TimeoutError` and its connection is closed.
/// A shorter limit than the connection's costs a timer per call; a longer one is honoured too.
public func withCommandTimeout<T>(
    _ timeout: Duration, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
) async throws -> T {
    guard timeout > .zero else { throw InvalidArgumentError("timeout must be > 0, got \(timeout)") }
    return try await RedisCommandTimeout.$override.withValue(TimeAmount(timeout), operation: body)
}

extension RedisCommandExecutor {
    /// Sends a command whose reply must arrive within `timeout` (see `withCommandTimeout`).
    public func execute(_ command: String, arguments: [any RedisArgument], timeout: Duration) async throws
        -> RESPValue
    {
        try await withCommandTimeout(timeout) { try await execute(command, arguments: arguments) }
    }
}

/// The server-side timeout of a blocking command, read from its arguments.
enum BlockingCommand {
    /// What a command's own arguments say about how long the server may hold its reply.
    enum ServerWait: Equatable {
        /// Not a blocking command: the reply is due at once.
        case none
        /// Blocks for at most this long.
        case upTo(TimeAmount)
        /// Blocks until data arrives (a timeout of 0): no client-side limit applies.
        case forever
    }

    /// Cheap for the common case: only a command starting with B, X or W is looked at further.
    static func serverWait(_ command: String, _ arguments: [any RedisArgument]) -> ServerWait {
        switch command.utf8.first.map({ $0 | 0x20 }) {
        case UInt8(ascii: "b"), UInt8(ascii: "x"), UInt8(ascii: "w"): break
        default: return .none
        }
        switch command.uppercased() {
        case "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BZPOPMIN", "BZPOPMAX":
            return wait(arguments.last, unit: .seconds)
        case "BLMPOP", "BZMPOP":
            return wait(arguments.first, unit: .seconds)
        case "WAIT", "WAITAOF":
            return wait(arguments.last, unit: .milliseconds)
        case "XREAD", "XREADGROUP":
            // BLOCK comes before STREAMS; the keys and ids after it could spell BLOCK too.
            for index in arguments.indices.dropLast() {
                let word = text(arguments[index])?.uppercased()
                if word == "STREAMS" { break }
                if word == "BLOCK" { return wait(arguments[index + 1], unit: .milliseconds) }
            }
            return .none
        default:
            return .none
        }
    }

    private enum Unit { case seconds, milliseconds }

    private static func wait(_ argument: (any RedisArgument)?, unit: Unit) -> ServerWait {
        // An unreadable timeout is refused by the server at once, so the command is not blocking.
        guard let argument, let value = text(argument).flatMap(Double.init), value.isFinite, value >= 0 else {
            return .none
        }
        if value == 0 { return .forever }
        let nanoseconds = value * (unit == .seconds ? 1e9 : 1e6)
        return .upTo(.nanoseconds(Int64(min(nanoseconds, Double(Int64.max / 2)))))
    }

    /// The argument as it goes on the wire, as text (numbers and strings alike).
    private static func text(_ argument: any RedisArgument) -> String? {
        var buffer = ByteBuffer()
        argument.writeRESPBulk(into: &buffer)
        // `$<length>\r\n<payload>\r\n`
        guard let headerEnd = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        buffer.moveReaderIndex(to: headerEnd + 1)
        guard buffer.readableBytes >= 2 else { return nil }
        return buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes - 2)
    }

    /// The time a command may take: `timeout` for an ordinary one, a blocking command's own wait plus `timeout`
    /// as the margin for the network and the server, `nil` (no limit) for one that blocks forever.
    static func limit(_ command: String, _ arguments: [any RedisArgument], timeout: TimeAmount) -> TimeAmount? {
        switch serverWait(command, arguments) {
        case .none: return timeout
        case .upTo(let wait): return wait + timeout
        case .forever: return nil
        }
    }
}
