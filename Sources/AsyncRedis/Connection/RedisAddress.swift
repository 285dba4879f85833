/// Where a Redis server is, and the connection options a URI can carry.
///
/// Built as `.tcp(host:port:)`, `.unix(path:)`, or from a string: `"redis://[user:password@]host[:port][/db]"` with
/// `?db=&password=&username=&encoding=&timeout=` query parameters, `"rediss://..."` (TLS), `"unix:///path?db=1"`
/// or a bare socket path. A string literal that does not parse is kept, and connecting to it throws the error.
public struct RedisAddress: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Where the server listens.
    public enum Endpoint: Sendable, Hashable {
        /// A host name or IP literal and a TCP port.
        case tcp(host: String, port: Int)
        /// A unix domain socket.
        case unix(path: String)
    }

    /// The TCP host and port, or the socket path.
    public var endpoint: Endpoint
    /// The ACL user, from the URI; sent with AUTH or HELLO when a password is set.
    public var username: String?
    /// The password, from the URI; never shown in a description or error.
    public var password: String?
    /// The database to select, from the URI; `nil` means 0 unless an argument says otherwise.
    public var db: Int?
    /// How replies are decoded as `String`, from the URI (`?encoding=`).
    public var encoding: RedisEncoding?
    /// Bound on the time to connect, from the URI's `timeout` (seconds).
    public var timeout: Duration?
    /// True for `rediss://`: TLS with certificate verification.
    public var useTLS: Bool
    /// Why a string literal failed to parse, thrown when it is used.
    let invalidReason: String?

    /// Redis's default TCP port, 6379.
    public static let defaultPort = 6379

    /// An address with no credentials, db or options.
    public init(endpoint: Endpoint) {
        self.endpoint = endpoint
        self.useTLS = false
        self.invalidReason = nil
    }

    /// A TCP address (`localhost:6379` by default).
    public static func tcp(host: String = "localhost", port: Int = defaultPort) -> RedisAddress {
        RedisAddress(endpoint: .tcp(host: host, port: port))
    }

    /// A unix socket address.
    public static func unix(path: String) -> RedisAddress {
        RedisAddress(endpoint: .unix(path: path))
    }

    /// Parses a URI or socket path known only at run time.
    public init(_ string: String) throws {
        self = try RedisAddressParser.parse(string)
    }

    /// Parses a literal such as `"redis://localhost:6379/0"`; a malformed literal throws
    /// `InvalidAddressError` when it is used to connect.
    public init(stringLiteral value: String) {
        do {
            self = try RedisAddressParser.parse(value)
        } catch {
            self.init(endpoint: .tcp(host: "", port: 0), invalidReason: (error as? RedisError)?.message ?? "\(error)")
        }
    }

    init(endpoint: Endpoint, invalidReason: String?) {
        self.endpoint = endpoint
        self.useTLS = false
        self.invalidReason = invalidReason
    }

    /// Throws the parse error of a malformed string literal.
    func validated() throws -> RedisAddress {
        if let invalidReason { throw InvalidAddressError(invalidReason) }
        return self
    }

    /// The TCP host, or `nil` for a unix socket.
    public var host: String? {
        if case .tcp(let host, _) = endpoint { return host }
        return nil
    }

    /// The TCP port, or `nil` for a unix socket.
    public var port: Int? {
        if case .tcp(_, let port) = endpoint { return port }
        return nil
    }

    /// Endpoint only: credentials are never printed.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "\(useTLS ? "rediss" : "redis")://\(shownHost):\(port)"
        case .unix(let path):
            return "unix://\(path)"
        }
    }
}
