import AsyncRedis
import AsyncRedisTestSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// The servers `scripts/servers.sh` started, read from the environment it exports.
enum TestServers {
    static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError(
                "\(name) is not set: run the suite with scripts/test.sh, which starts the test servers")
        }
        return value
    }

    static var host: String { (try? value("REDIS_HOST")) ?? "127.0.0.1" }
    static func port() throws -> Int { try Int(value("REDIS_PORT"))! }
    static func plain() throws -> RedisAddress { .tcp(host: host, port: try port()) }
    static func plainURI(_ suffix: String = "") throws -> String { "redis://\(host):\(try port())\(suffix)" }
    static func unixSocket() throws -> String { try value("REDIS_UNIX_SOCKET") }
    static func authPort() throws -> Int { try Int(value("REDIS_AUTH_PORT"))! }
    static func authPassword() throws -> String { try value("REDIS_AUTH_PASSWORD") }
    static func aclUser() throws -> String { try value("REDIS_ACL_USER") }
    static func aclPassword() throws -> String { try value("REDIS_ACL_PASSWORD") }
    static func tlsPort() throws -> Int { try Int(value("REDIS_TLS_PORT"))! }
    static func tlsCA() throws -> String { try value("REDIS_TLS_CA") }
    static var hasIPv6: Bool { (try? value("REDIS_IPV6")) == "1" }
    static func serverBinary() throws -> String { try value("REDIS_SERVER_BIN") }
    static func tempDirectory() throws -> String { try value("REDIS_TEST_TMP") }

    /// A connection to the plain server.
    static func connect(db: Int? = nil, protocolVersion: Int = 2) async throws -> RedisConnection {
        try await createConnection(try plain(), db: db, protocolVersion: protocolVersion)
    }
}

/// A key no other test uses.
func uniqueKey(_ label: String = #function) -> String {
    "test:\(label.prefix { $0 != "(" }):\(UUID().uuidString)"
}

/// Runs `body` with a connection and closes it afterwards, whatever happened.
func withConnection<T>(
    db: Int? = nil, protocolVersion: Int = 2, _ body: (RedisConnection) async throws -> T
) async throws -> T {
    let connection = try await TestServers.connect(db: db, protocolVersion: protocolVersion)
    do {
        let result = try await body(connection)
        connection.close()
        return result
    } catch {
        connection.close()
        throw error
    }
}

/// A user's own connection type (`connectionType:`, or wrapped by `Redis`): forwards to a `RedisConnection`, so
/// nothing can rely on that class's own methods, and logs the commands it executes.
final class LoggingConnection: RedisConnectionProtocol {
    let inner: RedisConnection
    let log = NIOLockedValueBox<[String]>([])
    init(inner: RedisConnection) { self.inner = inner }

    static func connect(_ configuration: RedisConnectionConfiguration) async throws -> LoggingConnection {
        LoggingConnection(inner: try await RedisConnection.connect(configuration))
    }

    var address: RedisAddress { inner.address }
    var db: Int { inner.db }
    var encoding: RedisEncoding? { inner.encoding }
    var isClosed: Bool { inner.isClosed }
    var pubsubChannels: [String: PubSubChannel] { inner.pubsubChannels }
    var pubsubPatterns: [String: PubSubChannel] { inner.pubsubPatterns }
    var inPubSub: Int { inner.inPubSub }
    func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        log.withLockedValue { $0.append(command) }
        return try await inner.execute(command, arguments: arguments)
    }
    func executePubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue] {
        try await inner.executePubSub(command, channels: channels)
    }
    func close() { inner.close() }
    func waitClosed() async { await inner.waitClosed() }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run time: Swift's Glibc
/// module does not declare it (it is a GNU extension).
private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
private let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
    unsafeBitCast($0, to: AddCloseFrom.self)
}

/// Starts `arguments[0]` with `arguments` and its standard input and output on /dev/null. A server a test starts
/// must not hold the test process's output: `swift test` waits for that pipe to close, and would hang on a
/// server left running by a failed test.
///
/// Nor may it hold the test process's sockets, so every descriptor above 2 is closed in the child. NIO opens its
/// sockets without close-on-exec, and a server started while another test held a connection, or a private
/// server's port probe, kept a copy of it for its whole life: the probed port then stayed bound (a later
/// redis-server on it failed with "Address already in use", a third of all private starts in one CI run) and a
/// connection the test had closed stayed open on its server.
func spawnDetachedFromOutput(_ arguments: [String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in [0, 1, 2] {
        posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    guard let addCloseFrom, addCloseFrom(&actions, 3) == 0 else {
        throw TestSetupError("this C library cannot close the test's descriptors in a spawned server (glibc 2.34+)")
    }
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
    guard status == 0 else { throw TestSetupError("could not start \(arguments[0]): posix_spawn \(status)") }
    return pid
}
