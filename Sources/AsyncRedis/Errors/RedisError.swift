import NIOConcurrencyHelpers

// The error hierarchy of aioredis, as classes so that a `catch let e as ReplyError` also catches `AuthError`
// (Swift's enums cannot express "is-a" between error kinds). Every error is immutable, hence Sendable.

/// The base of every error AsyncRedis throws (aioredis `RedisError`).
open class RedisError: Error, CustomStringConvertible, @unchecked Sendable {
    /// A human-readable explanation.
    public let message: String

    /// An error explaining itself with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The class name and the message.
    public var description: String { "\(Self.self): \(message)" }
}

/// The byte stream from the server cannot be parsed; the connection is closed when this is raised.
open class ProtocolError: RedisError, @unchecked Sendable {}

/// The server answered with an error reply (`-ERR ...`, `-WRONGTYPE ...`, RESP3 `!` blob errors).
open class ReplyError: RedisError, @unchecked Sendable {
    /// The first word of the server's message: `ERR`, `WRONGTYPE`, `NOSCRIPT`, `MOVED`, `ASK`, `BUSY`, ...
    public let code: String

    /// Required so that a class registered with `register(_:forCode:)` can be made from a reply.
    public required init(code: String, message: String) {
        self.code = code
        super.init(message)
    }

    /// Makes error replies whose first word is `code` (a module's `MYMOD ...`, say) be thrown as `type`, so that
    /// `catch let error as MyModuleError` works (aioredis `MATCH_REPLY`). The classes AsyncRedis defines for its
    /// own codes (`AuthError`, `ReadOnlyError`, `BusyGroupError`, ...) keep precedence; a later registration for
    /// the same code replaces an earlier one. Safe to call from any task.
    public static func register(_ type: ReplyError.Type, forCode code: String) {
        registeredTypes.withLockedValue { $0[code] = type }
    }

    /// Removes what `register(_:forCode:)` set for `code`.
    public static func unregister(code: String) {
        registeredTypes.withLockedValue { $0[code] = nil }
    }

    private static let registeredTypes = NIOLockedValueBox<[String: ReplyError.Type]>([:])

    /// Builds the most specific error class for a server error line, by its prefix.
    public static func make(fromServerMessage line: String) -> ReplyError {
        let code = String(line.prefix { $0 != " " })
        switch code {
        case "NOAUTH", "WRONGPASS":
            return AuthError(code: code, message: line)
        case "READONLY":
            return ReadOnlyError(code: code, message: line)
        case "BUSYGROUP":
            return BusyGroupError(code: code, message: line)
        case "CLUSTERDOWN":
            return ClusterDownError(code: code, message: line)
        case "TRYAGAIN":
            return TryAgainError(code: code, message: line)
        case "ERR" where line.hasPrefix("ERR max number of clients reached"):
            return MaxClientsError(code: code, message: line)
        case "ERR" where line.hasPrefix("ERR invalid password")
            || line.hasPrefix("ERR Client sent AUTH, but no password is set")
            || line.hasPrefix("ERR AUTH <password> called without any password configured"):
            return AuthError(code: code, message: line)
        default:
            let registered = registeredTypes.withLockedValue { $0[code] }
            return (registered ?? ReplyError.self).init(code: code, message: line)
        }
    }
}

/// XGROUP CREATE of a consumer group that already exists (`BUSYGROUP`).
open class BusyGroupError: ReplyError, @unchecked Sendable {}

/// The server has reached `maxclients`.
open class MaxClientsError: ReplyError, @unchecked Sendable {}

/// Authentication failed or is required (`NOAUTH`, `WRONGPASS`, `ERR invalid password`).
open class AuthError: ReplyError, @unchecked Sendable {}

/// A write was sent to a read-only replica (`READONLY`).
///
/// aioredis derives it from `RedisError`; here it is a `ReplyError` too, since it is one (it carries the code).
open class ReadOnlyError: ReplyError, @unchecked Sendable {}

/// One or more commands of a pipeline failed; `errors` holds each failure with the command's position.
open class PipelineError: RedisError, @unchecked Sendable {
    /// The failed commands, by their index in the batch.
    public let errors: [(index: Int, error: any Error)]

    /// A batch error with each failed command at its index.
    public init(_ message: String, errors: [(index: Int, error: any Error)]) {
        self.errors = errors
        super.init(message)
    }
}

/// A MULTI/EXEC block failed (EXECABORT, or commands inside it answered errors).
open class MultiExecError: PipelineError, @unchecked Sendable {}

/// EXEC answered nil because a WATCHed key changed.
open class WatchVariableError: MultiExecError, @unchecked Sendable {}

/// A Pub/Sub channel is closed (unsubscribed and drained, or its connection was lost: see `cause`).
open class ChannelClosedError: RedisError, @unchecked Sendable {
    /// The error that led to this one, if any.
    public let cause: (any Error)?

    /// A closed channel, with what closed it.
    public init(_ message: String = "channel is closed", cause: (any Error)? = nil) {
        self.cause = cause
        super.init(message)
    }
}

/// The connection to the server was lost or closed.
open class ConnectionClosedError: RedisError, @unchecked Sendable {
    /// The error that led to this one, if any.
    public let cause: (any Error)?

    /// A lost or closed connection, with what closed it.
    public init(_ message: String = "connection closed", cause: (any Error)? = nil) {
        self.cause = cause
        super.init(message)
    }
}

/// The connection was closed by `close()` while the call was pending.
open class ConnectionForcedCloseError: ConnectionClosedError, @unchecked Sendable {}

/// The pool was closed.
open class PoolClosedError: RedisError, @unchecked Sendable {}

/// No sentinel knows a usable master of that name: none monitors it, or all report it down.
open class MasterNotFoundError: RedisError, @unchecked Sendable {}
/// No sentinel knows a usable replica of that master: none is listed, or all are down or disconnected.
open class SlaveNotFoundError: RedisError, @unchecked Sendable {}
/// The master a sentinel named could not be used: its handshake failed with a Redis error (`cause`, e.g. an
/// `AuthError`), or it answered ROLE as something other than a master.
open class MasterReplyError: RedisError, @unchecked Sendable {
    /// The error that led to this one, if any.
    public let cause: (any Error)?

    /// The error, with the node's own error as `cause`.
    public init(_ message: String, cause: (any Error)? = nil) {
        self.cause = cause
        super.init(message)
    }
}
/// A replica a sentinel named could not be used: its handshake failed with a Redis error (`cause`), or it
/// answered ROLE as something other than a replica.
open class SlaveReplyError: RedisError, @unchecked Sendable {
    /// The error that led to this one, if any.
    public let cause: (any Error)?

    /// The error, with the node's own error as `cause`.
    public init(_ message: String, cause: (any Error)? = nil) {
        self.cause = cause
        super.init(message)
    }
}
/// No sentinel could be reached; `failures` holds each address tried and why it failed.
public final class SentinelUnreachableError: RedisError, @unchecked Sendable {
    /// Every sentinel address tried, with the error it gave.
    public let failures: [(address: RedisAddress, error: any Error)]

    /// No sentinel answered: `failures` says why for each.
    public init(_ failures: [(address: RedisAddress, error: any Error)]) {
        self.failures = failures
        let tried = failures.map { "\($0.address) (\($0.error))" }.joined(separator: ", ")
        super.init("no sentinel could be reached; tried \(tried.isEmpty ? "no address" : tried)")
    }
}

/// An address or URI could not be understood.
public final class InvalidAddressError: RedisError, @unchecked Sendable {}

/// A reply did not have the shape the caller asked to decode it as.
public final class UnexpectedReplyError: RedisError, @unchecked Sendable {}

/// An argument given to a call is outside what Redis or AsyncRedis accepts (aioredis raises `ValueError`/`TypeError`).
public final class InvalidArgumentError: RedisError, @unchecked Sendable {}

/// A call outlived its time limit: a command's reply did not come within its `commandTimeout` (the connection is
/// then closed: a reply that late leaves it unusable), or connecting took longer than its `timeout`.
open class TimeoutError: RedisError, @unchecked Sendable {}

/// Connecting (TCP connect, TLS handshake, HELLO/AUTH/SELECT) took longer than the `timeout` given, whichever
/// step was running when time ran out.
public final class ConnectTimeoutError: TimeoutError, @unchecked Sendable {}

/// The TLS handshake failed: the server's certificate is not trusted, does not name the host, or the two sides
/// share no protocol version or cipher. Not a `ConnectionClosedError`: trying again cannot succeed until the
/// configuration or the certificate changes.
public final class TLSHandshakeError: RedisError, @unchecked Sendable {
    /// The TLS library's error (`NIOSSLError`, `NIOSSLExtraError`).
    public let cause: any Error

    /// A refused TLS handshake, with NIOSSL's error as `cause`.
    public init(_ message: String, cause: any Error) {
        self.cause = cause
        super.init(message)
    }
}
