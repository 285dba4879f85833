import AsyncRedisTestSupport
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import AsyncRedis

@Suite("RedisConnection against real servers")
struct ConnectionTests {
    // MARK: Connecting by every address form

    @Test("redis:// URI with db in the path selects it")
    func uriWithDB() async throws {
        let connection = try await createConnection(try RedisAddress(try TestServers.plainURI("/3")))
        defer { connection.close() }
        #expect(connection.db == 3)
        let key = uniqueKey()
        _ = try await connection.execute("SET", key, "in-db-3")
        let other = try await TestServers.connect(db: 3)
        defer { other.close() }
        #expect(try await other.execute("GET", key, as: String?.self) == "in-db-3")
        let db0 = try await TestServers.connect()
        defer { db0.close() }
        #expect(try await db0.execute("GET", key, as: String?.self) == nil)
        _ = try await connection.execute("DEL", key)
    }

    @Test("?db= query and explicit db overriding the URI")
    func dbQueryAndOverride() async throws {
        let byQuery = try await createConnection(try RedisAddress(try TestServers.plainURI("?db=4")))
        defer { byQuery.close() }
        #expect(try await byQuery.execute("CLIENT", "INFO", as: String.self).contains(" db=4 "))
        let overridden = try await createConnection(try RedisAddress(try TestServers.plainURI("/4")), db: 6)
        defer { overridden.close() }
        #expect(overridden.db == 6)
        #expect(try await overridden.execute("CLIENT", "INFO", as: String.self).contains(" db=6 "))
    }

    @Test("host name is resolved: address holds the IP connected to")
    func resolvedAddress() async throws {
        let connection = try await createConnection(.tcp(host: "localhost", port: try TestServers.port()))
        defer { connection.close() }
        #expect(["127.0.0.1", "::1"].contains(connection.address.host ?? ""))
        #expect(connection.address.port == (try TestServers.port()))
    }

    @Test("unix socket by unix:// URI and by bare path")
    func unixSocket() async throws {
        let path = try TestServers.unixSocket()
        for address in [try RedisAddress("unix://\(path)?db=2"), try RedisAddress(path)] {
            let connection = try await createConnection(address)
            #expect(try await connection.execute("PING", as: String.self) == "PONG")
            #expect(connection.address.endpoint == .unix(path: path))
            connection.close()
        }
        let withDB = try await createConnection(try RedisAddress("unix://\(path)?db=2"))
        defer { withDB.close() }
        #expect(withDB.db == 2)
    }

    @Test("IPv6 literal")
    func ipv6() async throws {
        guard TestServers.hasIPv6 else { return }  // the script reports whether ::1 is usable here
        let connection = try await createConnection(try RedisAddress("redis://[::1]:\(try TestServers.port())"))
        defer { connection.close() }
        #expect(try await connection.execute("PING", as: String.self) == "PONG")
        #expect(connection.address.host == "::1")
    }

    @Test("TLS with the generated CA, and verification failing without it", .needsTLS)
    func tls() async throws {
        let port = try TestServers.tlsPort()
        let tls = try RedisTLS.trusting(caFile: try TestServers.tlsCA())
        let connection = try await createConnection(try RedisAddress("rediss://localhost:\(port)/1"), ssl: tls)
        defer { connection.close() }
        #expect(try await connection.execute("ECHO", "secure", as: String.self) == "secure")
        #expect(connection.db == 1)
        // rediss:// alone verifies against the system roots, which do not know our CA.
        await #expect(throws: TLSHandshakeError.self) {
            let untrusted = try await createConnection(try RedisAddress("rediss://localhost:\(port)"))
            untrusted.close()
        }
    }

    @Test("password in the URI, ACL user and password, and auth()")
    func authentication() async throws {
        let port = try TestServers.authPort()
        let password = try TestServers.authPassword()
        let byURI = try await createConnection(try RedisAddress("redis://:\(password)@127.0.0.1:\(port)"))
        #expect(try await byURI.execute("PING", as: String.self) == "PONG")
        byURI.close()

        let user = try TestServers.aclUser()
        let acl = try await createConnection(
            try RedisAddress("redis://\(user):\(try TestServers.aclPassword())@127.0.0.1:\(port)/1"))
        #expect(try await acl.execute("ACL", "WHOAMI", as: String.self) == user)
        #expect(acl.db == 1)
        acl.close()

        let late = try await createConnection(.tcp(host: "127.0.0.1", port: port))
        defer { late.close() }
        await #expect(throws: AuthError.self) { _ = try await late.execute("GET", "x") }
        #expect(try await late.auth(password))
        #expect(try await late.execute("PING", as: String.self) == "PONG")
    }

    @Test("a wrong password is an AuthError, which is also a ReplyError")
    func wrongPassword() async throws {
        let port = try TestServers.authPort()
        do {
            _ = try await createConnection(.tcp(host: "127.0.0.1", port: port), password: "wrong")
            Issue.record("connected with a wrong password")
        } catch let error as ReplyError {
            #expect(error is AuthError)
            #expect(error.code == "WRONGPASS")
        }
        await #expect(throws: AuthError.self) {
            _ = try await createConnection(
                .tcp(host: "127.0.0.1", port: port), username: try TestServers.aclUser(), password: "nope")
        }
    }

    // MARK: Errors

    @Test("error replies carry the server's code")
    func replyErrors() async throws {
        try await withConnection { connection in
            do {
                _ = try await connection.execute("NOSUCHCOMMAND", "x")
                Issue.record("unknown command succeeded")
            } catch let error as ReplyError {
                #expect(error.code == "ERR")
                #expect(error.message.contains("unknown command"))
            }
            let key = uniqueKey()
            _ = try await connection.execute("SET", key, "v")
            do {
                _ = try await connection.execute("LPUSH", key, "x")
                Issue.record("LPUSH on a string succeeded")
            } catch let error as ReplyError {
                #expect(error.code == "WRONGTYPE")
            }
            // The connection is still in sync after errors.
            #expect(try await connection.execute("GET", key, as: String.self) == "v")
            _ = try await connection.execute("DEL", key)
        }
    }

    // MARK: Implicit pipelining

    @Test("10 000 concurrent executes on one connection each get their own reply")
    func concurrentExecutes() async throws {
        try await withConnection { connection in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<10_000 {
                    group.addTask {
                        let echoed = try await connection.execute("ECHO", "reply-\(index)", as: String.self)
                        #expect(echoed == "reply-\(index)")
                    }
                }
                try await group.waitForAll()
            }
            #expect(connection.pendingCount == 0)
        }
    }

    @Test("calls from one task are written in the order they are made")
    func orderingFromOneTask() async throws {
        try await withConnection { connection in
            // Several tasks interleave on the connection; each one's pushes must stay in its own order.
            let keys = (0..<8).map { uniqueKey("ordering-\($0)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for key in keys {
                    group.addTask {
                        for value in 0..<300 { _ = try await connection.execute("RPUSH", key, value) }
                    }
                }
                try await group.waitForAll()
            }
            for key in keys {
                #expect(try await connection.execute("LRANGE", key, 0, -1, as: [Int].self) == Array(0..<300))
            }
            _ = try await connection.execute("DEL", arguments: keys)
        }
    }

    @Test("executeBatch sends many commands in one go; failures stay per command")
    func batch() async throws {
        try await withConnection { connection in
            let key = uniqueKey()
            let hashKey = uniqueKey("hash")
            _ = try await connection.execute("HSET", hashKey, "f", "v")
            var commands: [(command: String, arguments: [any RedisArgument])] = []
            for index in 0..<10_000 {
                commands.append(index % 1000 == 999 ? ("INCR", [hashKey]) : ("INCR", [key]))
            }
            let results = try await connection.executeBatch(commands)
            #expect(results.count == 10_000)
            var expected = 0
            for (index, result) in results.enumerated() {
                if index % 1000 == 999 {
                    guard case .failure(let error) = result else {
                        Issue.record("command \(index) should have failed")
                        continue
                    }
                    #expect(error.code == "WRONGTYPE")
                } else {
                    expected += 1
                    #expect(try result.get() == .integer(Int64(expected)))
                }
            }
            // Interleaved with ordinary calls from other tasks, replies stay matched.
            async let other = connection.execute("ECHO", "beside", as: String.self)
            let second = try await connection.executeBatch([("GET", [key]), ("PING", [])])
            #expect(try await other == "beside")
            #expect(try second[0].get().string() == "9990")
            _ = try await connection.execute("DEL", key, hashKey)
        }
    }

    // MARK: Closing, server loss, cancellation

    @Test("close() fails pending calls with ConnectionForcedCloseError, later calls too")
    func closeWithPending() async throws {
        let connection = try await TestServers.connect()
        let blocked = Task { try await connection.execute("BLPOP", uniqueKey(), 0) }
        try await waitUntil { connection.pendingCount == 1 }
        connection.close()
        await #expect(throws: ConnectionForcedCloseError.self) { _ = try await blocked.value }
        #expect(connection.isClosed)
        await #expect(throws: ConnectionForcedCloseError.self) { _ = try await connection.execute("PING") }
        try await withTimeLimit { await connection.waitClosed() }
    }

    @Test("a connection killed by the server fails its pending calls with ConnectionClosedError")
    func killedByServer() async throws {
        let victim = try await TestServers.connect()
        let id = try await victim.execute("CLIENT", "ID", as: Int.self)
        let blocked = Task { try await victim.execute("BLPOP", uniqueKey(), 0) }
        try await waitUntil { victim.pendingCount == 1 }
        try await withConnection { killer in
            let killed = try await killer.execute("CLIENT", "KILL", "ID", id, as: Int.self)
            #expect(killed == 1)
        }
        do {
            _ = try await withTimeLimit { try await blocked.value }
            Issue.record("blocked call succeeded")
        } catch let error as ConnectionClosedError {
            #expect(!(error is ConnectionForcedCloseError))
        }
        try await waitUntil { victim.isClosed }
        await #expect(throws: ConnectionClosedError.self) { _ = try await victim.execute("PING") }
    }

    @Test("a cancelled call gets CancellationError and the connection stays in sync")
    func cancellation() async throws {
        try await withConnection { connection in
            let key = uniqueKey()
            _ = try await connection.execute("SET", key, "after")
            let listKey = uniqueKey("list")
            // BLPOP blocks only this connection until another pushes: its reply comes strictly after the cancel.
            let blocked = Task { try await connection.execute("BLPOP", listKey, 0) }
            try await waitUntil { connection.pendingCount == 1 }
            blocked.cancel()
            await #expect(throws: CancellationError.self) { _ = try await blocked.value }
            let get = Task { try await connection.execute("GET", key, as: String.self) }
            try await waitUntil { connection.pendingCount == 2 }
            try await withConnection { other in _ = try await other.execute("RPUSH", listKey, "unblock") }
            // The BLPOP reply is read and dropped: the GET gets its own reply.
            let value = try await withTimeLimit { try await get.value }
            #expect(value == "after")
            #expect(connection.pendingCount == 0)
            // Cancelling many in flight among others keeps every other reply in place.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    let task = Task { try await connection.execute("ECHO", "v\(index)", as: String.self) }
                    if index % 3 == 0 { task.cancel() }
                    group.addTask { () async throws -> Void in
                        do {
                            let value = try await task.value
                            #expect(value == "v\(index)")
                        } catch is CancellationError {
                            #expect(index % 3 == 0)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await connection.execute("ECHO", "last", as: String.self) == "last")
            _ = try await connection.execute("DEL", key)
        }
    }

    @Test("an already-cancelled task sends nothing")
    func cancelledBeforeSending() async throws {
        try await withConnection { connection in
            let key = uniqueKey()
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await connection.execute("SET", key, "should-not-be-set")
            }
            await #expect(throws: CancellationError.self) { _ = try await task.value }
            let exists = try await connection.execute("EXISTS", key, as: Int.self)
            #expect(exists == 0)
        }
    }

    @Test("connect timeout against a server that never answers")
    func connectTimeout() async throws {
        let silent = try await ScriptedServer(reply: nil)
        defer { Task { await silent.close() } }
        let started = ContinuousClock.now
        await #expect(throws: ConnectTimeoutError.self) {
            _ = try await createConnection(
                .tcp(host: "127.0.0.1", port: silent.port), password: "p", timeout: .milliseconds(300))
        }
        // A bound, not a timing measurement: generous enough for a loaded 2-core machine.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("connection refused is a ConnectionClosedError")
    func refused() async throws {
        // Port 1 on loopback has no listener here; a missing socket path cannot be connected either.
        for address in [RedisAddress.tcp(host: "127.0.0.1", port: 1), .unix(path: "/nonexistent/redis.sock")] {
            await #expect(throws: ConnectionClosedError.self) { _ = try await createConnection(address) }
        }
    }

    @Test("a malformed reply fails every pending call with ProtocolError and closes the connection")
    func malformedReply() async throws {
        let server = try await ScriptedServer(reply: Array("?garbage\r\n".utf8))
        defer { Task { await server.close() } }
        let connection = try await createConnection(.tcp(host: "127.0.0.1", port: server.port))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    await #expect(throws: ProtocolError.self) { _ = try await connection.execute("GET", "k") }
                }
            }
            try await group.waitForAll()
        }
        try await waitUntil { connection.isClosed }
        await #expect(throws: ProtocolError.self) { _ = try await connection.execute("PING") }
    }

    @Test("a Pub/Sub command answered by neither a confirmation nor an error fails with ProtocolError, not a hang")
    func pubsubCommandGetsAPlainReply() async throws {
        let server = try await ScriptedServer(reply: Array("+OK\r\n".utf8))
        defer { Task { await server.close() } }
        let connection = try await createConnection(.tcp(host: "127.0.0.1", port: server.port))
        await #expect(throws: ProtocolError.self) {
            _ = try await withTimeLimit { try await connection.executePubSub("subscribe", "news") }
        }
        try await waitUntil { connection.isClosed }
        #expect(connection.inPubSub == 0)
    }

    // MARK: State tracking

    @Test("inTransaction follows MULTI, EXEC and DISCARD")
    func transactionFlag() async throws {
        try await withConnection { connection in
            let key = uniqueKey()
            #expect(!connection.inTransaction)
            _ = try await connection.execute("MULTI")
            #expect(connection.inTransaction)
            #expect(try await connection.execute("INCR", key, as: String.self) == "QUEUED")
            let results = try await connection.execute("EXEC", as: [Int].self)
            #expect(results == [1])
            #expect(!connection.inTransaction)
            _ = try await connection.execute("MULTI")
            _ = try await connection.execute("INCR", key)
            _ = try await connection.execute("DISCARD")
            #expect(!connection.inTransaction)
            #expect(try await connection.execute("GET", key, as: Int.self) == 1)
            _ = try await connection.execute("DEL", key)
        }
    }

    @Test("select() changes db, rejects negatives, and SELECT errors leave db unchanged")
    func select() async throws {
        try await withConnection { connection in
            let selected = try await connection.select(5)
            #expect(selected)
            #expect(connection.db == 5)
            let info = try await connection.execute("CLIENT", "INFO", as: String.self)
            #expect(info.contains(" db=5 "))
            await #expect(throws: InvalidArgumentError.self) { try await connection.select(-1) }
            await #expect(throws: ReplyError.self) { try await connection.select(100_000) }
            #expect(connection.db == 5)
        }
    }

    @Test("encoding: connection-wide and per call")
    func encoding() async throws {
        let connection = try await createConnection(try RedisAddress(try TestServers.plainURI("?encoding=latin-1")))
        defer { connection.close() }
        #expect(connection.encoding == .latin1)
        let key = uniqueKey()
        _ = try await connection.execute("SET", key, [UInt8]([0x63, 0x61, 0x66, 0xE9]))
        #expect(try await connection.execute("GET", key, as: String.self) == "café")
        await #expect(throws: UnexpectedReplyError.self) {
            _ = try await connection.execute("GET", key, as: String.self, encoding: .utf8)
        }
        #expect(try await connection.execute("GET", key, as: [UInt8].self) == [0x63, 0x61, 0x66, 0xE9])
        _ = try await connection.execute("DEL", key)
    }

    @Test("RESP3: HELLO 3 and map replies")
    func resp3() async throws {
        try await withConnection(protocolVersion: 3) { connection in
            #expect(connection.isRESP3)
            let key = uniqueKey()
            _ = try await connection.execute("HSET", key, "a", 1, "b", 2)
            let reply = try await connection.execute("HGETALL", key)
            guard case .map(let pairs) = reply else {
                Issue.record("expected a RESP3 map, got \(reply)")
                return
            }
            #expect(pairs.count == 2)
            #expect(try await connection.execute("HGETALL", key, as: [String: Int].self) == ["a": 1, "b": 2])
            #expect(try await connection.execute("EXISTS", key, as: Bool.self))
            _ = try await connection.execute("DEL", key)
        }
    }

    // MARK: Pub/Sub basics on a connection

    @Test("executePubSub confirmations, bookkeeping and RESP2 Pub/Sub mode")
    func executePubSub() async throws {
        let subscriber = try await TestServers.connect()
        defer { subscriber.close() }
        let a = uniqueKey("chanA")
        let b = uniqueKey("chanB")
        let confirmations = try await subscriber.executePubSub("subscribe", a, b)
        #expect(confirmations.count == 2)
        #expect(try [String](fromRESP: confirmations[0], encoding: .utf8) == ["subscribe", a, "1"])
        #expect(try [String](fromRESP: confirmations[1], encoding: .utf8) == ["subscribe", b, "2"])
        #expect(subscriber.inPubSub == 2)
        #expect(Set(subscriber.pubsubChannels.keys) == [a, b])
        await #expect(throws: InvalidArgumentError.self) { _ = try await subscriber.execute("GET", "x") }
        #expect(try await subscriber.execute("PING").description.contains("pong"))
        try await withConnection { publisher in
            let receivers = try await publisher.execute("PUBLISH", a, "hello", as: Int.self)
            #expect(receivers == 1)
        }
        let message = try await withTimeLimit { try await subscriber.pubsubChannels[a]!.get() }
        #expect(message?.string() == "hello")
        #expect(message?.channel == a)
        _ = try await subscriber.executePubSub("unsubscribe", a, b)
        #expect(subscriber.inPubSub == 0)
        #expect(try await subscriber.execute("ECHO", "back", as: String.self) == "back")
        await #expect(throws: InvalidArgumentError.self) { _ = try await subscriber.executePubSub("subscribe") }
    }

    // MARK: Extension points

    @Test("a custom parser type is used for replies")
    func customParser() async throws {
        CountingParser.count.withLockedValue { $0 = 0 }
        let connection = try await createConnection(try TestServers.plain(), parser: CountingParser.self)
        defer { connection.close() }
        for _ in 0..<3 { _ = try await connection.execute("PING") }
        #expect(CountingParser.count.withLockedValue { $0 } == 3)
    }

    @Test("connectionType builds the user's connection type")
    func customConnectionType() async throws {
        let connection = try await createConnection(try TestServers.plain(), connectionType: LoggingConnection.self)
        defer { connection.close() }
        _ = try await connection.execute("PING")
        _ = try await connection.execute("ECHO", "x")
        #expect(connection.log.withLockedValue { $0 } == ["PING", "ECHO"])
    }
}

struct CountingParser: RESPParser {
    static let count = NIOLockedValueBox(0)
    var inner: RESPDecoder
    init(maximumLength: Int) { inner = RESPDecoder(maximumLength: maximumLength) }
    mutating func feed(_ bytes: ByteBuffer) { inner.feed(bytes) }
    mutating func next() throws -> RESPValue? {
        let value = try inner.next()
        if value != nil { Self.count.withLockedValue { $0 += 1 } }
        return value
    }
}
