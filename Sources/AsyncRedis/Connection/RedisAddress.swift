/// Where a Redis server is, and the connection options a URI can carry.
///
/// Built as `.tcp(host:port:)`, `.unix(path:)`, or from a string: `"redis://[user:password@]host[:port][/db]"` with
/// `?db=&password=&username=&encoding=&timeout=` query parameters, `"rediss://..."` (TLS), `"unix:///path?db=1"`
/// or a bare socket path. A string literal that does not parse is kept, and connecting to it throws the error.
public struct RedisAddress: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public var endpoint: Endpoint
    public var username: String?
    public var password: String?
    public var db: Int?
    public var encoding: RedisEncoding?
    /// Bound on the time to connect, from the URI's `timeout` (seconds).
    public var timeout: Duration?
    /// True for `rediss://`: TLS with certificate verification.
    public var useTLS: Bool
    /// Why a string literal failed to parse, thrown when it is used.
    let invalidReason: String?

    public static let defaultPort = 6379

    public init(endpoint: Endpoint) {
        self.endpoint = endpoint
        self.useTLS = false
        self.invalidReason = nil
    }

    public static func tcp(host: String = "localhost", port: Int = defaultPort) -> RedisAddress {
        RedisAddress(endpoint: .tcp(host: host, port: port))
    }

    public static func unix(path: String) -> RedisAddress {
        RedisAddress(endpoint: .unix(path: path))
    }

    /// Parses a URI or socket path known only at run time.
    public init(_ string: String) throws {
        self = try RedisAddressParser.parse(string)
    }

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

    public var host: String? {
        if case .tcp(let host, _) = endpoint { return host }
        return nil
    }

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
