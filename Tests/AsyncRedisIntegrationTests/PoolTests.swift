import AsyncRedisTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import AsyncRedis

/// A redis-server of the test's own, for what must not disturb the shared servers (restarts, CLIENT LIST counts).
final class PrivateRedisServer: @unchecked Sendable {
    private(set) var port = 0
    private(set) var directory = ""
    /// Options added to the command line (`--lua-time-limit 50`, say).
    let extraArguments: [String]
    /// More options, given the port chosen (a TLS port beside it, say).
    let portArguments: @Sendable (Int) -> [String]
    private var pid: pid_t?
    /// Ports given to private servers of this run, and from the start every port of the shared servers
    /// (`REDIS_*PORT*` from servers.sh): a shared node a test killed and is about to restart must find its port
    /// free, not taken by a private server meanwhile.
    /// A shared cluster node's bus port (its port + 10 000) counts as used too.
    private static let usedPorts = NIOLockedValueBox<Set<Int>>(
        Set(
            ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("REDIS_") && $0.key.contains("PORT") }
                .flatMap { variable in
                    variable.value.split(separator: ",").compactMap { Int($0) }.flatMap { port in
                        variable.key.contains("CLUSTER") ? [port, port + 10_000] : [port]
                    }
                }))
    /// The ports besides its own a server listens on, as offsets (a TLS port at +1, a cluster bus at +10 000):
    /// probed and reserved with it, so that no other private server is given one of them.
    let neighbourOffsets: [Int]

    init(
        extraArguments: [String] = [], portArguments: @escaping @Sendable (Int) -> [String] = { _ in [] },
        neighbourOffsets: [Int] = []
    ) async throws {
        self.extraArguments = extraArguments
        self.portArguments = portArguments
        self.neighbourOffsets = neighbourOffsets
        // A port below the kernel's ephemeral range (32768 and up), where client sockets never land: a port
        // from bind(0) could meanwhile become some client's local port and make redis-server's bind fail.
        // Ports already given to another private server of this run are skipped. Another process (a test run
        // sharing the machine) can still take the port between the probe and redis-server's bind: `start()`
        // then finds someone else's server answering, and another port is tried.
        for attempt in 1...5 {
            var chosen = 0
            // Neighbours stay below the ephemeral range too (a cluster node's bus: ports 20 000-22 000 only).
            let upperBound = 32_000 - (neighbourOffsets.max() ?? 0)
            while chosen == 0 {
                let candidate = Int.random(in: 20_000..<upperBound)
                let ports = [candidate] + neighbourOffsets.map { candidate + $0 }
                let reserved = Self.usedPorts.withLockedValue { used in
                    guard used.isDisjoint(with: ports) else { return false }
                    used.formUnion(ports)
                    return true
                }
                guard reserved, await Self.canBind(ports) else { continue }
                chosen = candidate
            }
            port = chosen
            directory = try TestServers.tempDirectory() + "/private-\(port)"
            // A fresh directory: an earlier run's server on this port may have left its nodes.conf there, and a
            // cluster node started on it would come up with that run's slots ("Slot 0 is already busy").
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            do {
                try await start()
                return
            } catch let error as TestSetupError
                where attempt < 5 && (error.description.contains("not ours") || error.description.contains("exited"))
            {
                continue  // the port was taken under us (redis-server exits when its bind fails)
            }
        }
    }

    /// True when each of `ports` can be bound on 127.0.0.1 now.
    private static func canBind(_ ports: [Int]) async -> Bool {
        for port in ports {
            guard let probe = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).get()
            else { return false }
            try? await probe.close()
        }
        return true
    }

    func start() async throws {
        let arguments = [
            try TestServers.serverBinary(), "--port", String(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", directory, "--daemonize", "no", "--logfile", directory + "/redis.log",
        ] + extraArguments + portArguments(port)
        // posix_spawn rather than Foundation's Process: nothing here needs its run-loop machinery.
        let pid = try spawnDetachedFromOutput(arguments)
        self.pid = pid
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            // Our own process must be the one answering: if it exited (port taken), fail rather than share.
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == 0 else {
                self.pid = nil
                throw TestSetupError("private redis-server on port \(port) exited; see \(directory)/redis.log")
            }
            if let connection = try? await createConnection(.tcp(host: "127.0.0.1", port: port)) {
                let info = try? await connection.execute("INFO", "server", as: String.self)
                connection.close()
                await connection.waitClosed()
                guard let info, info.contains("process_id:\(pid)\r\n") else {
                    stop()
                    throw TestSetupError("the server on port \(port) is not ours (our redis-server could not bind)")
                }
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSetupError("private redis-server on port \(port) did not start")
    }

    /// SIGSTOP: the server keeps its sockets (the kernel still accepts connections) but answers nothing, like a
    /// server that hangs. `resume()` (SIGCONT) undoes it; `stop()` works on a paused server too.
    func pause() {
        if let pid { kill(pid, SIGSTOP) }
    }

    func resume() {
        if let pid { kill(pid, SIGCONT) }
    }

    /// A failed test may never call `stop()`: the server goes with the object.
    deinit {
        stop()
    }

    func stop() {
        guard let pid else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        self.pid = nil
    }

    var address: RedisAddress { .tcp(host: "127.0.0.1", port: port) }

    /// False once `stop()` killed it.
    var isRunning: Bool { pid != nil }
}

@Suite("ConnectionsPool against real servers")
struct PoolTests {
    @Test("sizes and properties as connections are acquired and released")
    func sizes() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 2, maxSize: 4)
        defer { pool.close() }
        #expect(pool.size == 2)
        #expect(pool.freeSize == 2)
        #expect(pool.minSize == 2 && pool.maxSize == 4)
        #expect(pool.db == 0)
        let first = try await pool.acquire()
        let second = try await pool.acquire()
        #expect(pool.freeSize == 0)
        let third = try await pool.acquire()  // opens a new one
        #expect(pool.size == 3)
        #expect(first !== second && second !== third)
        pool.release(first)
        #expect(pool.freeSize == 1)
        #expect(pool.getConnection().0 === first)
        pool.release(second)
        pool.release(third)
        #expect(pool.freeSize == 3)
        #expect(try await pool.execute("PING", as: String.self) == "PONG")
    }

    @Test("bad sizes are rejected with a clear error")
    func badSizes() async throws {
        await #expect(throws: InvalidArgumentError.self) { _ = try await createPool(try TestServers.plain(), maxSize: 0) }
        await #expect(throws: InvalidArgumentError.self) {
            _ = try await createPool(try TestServers.plain(), minSize: 3, maxSize: 2)
        }
    }

    @Test("at maxSize callers wait, and are woken in FIFO order")
    func fifoWaiters() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 1, maxSize: 1)
        defer { pool.close() }
        let held = try await pool.acquire()
        let order = NIOLockedValueBox<[Int]>([])
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<3 {
            waiters.append(Task {
                let connection = try await pool.acquire()
                order.withLockedValue { $0.append(index) }
                pool.release(connection)
            })
            try await waitUntil { pool.waiterCount == index + 1 }
        }
        #expect(order.withLockedValue { $0 }.isEmpty)
        pool.release(held)
        for waiter in waiters {
            let task = waiter
            try await withTimeLimit { @Sendable in try await task.value }
        }
        #expect(order.withLockedValue { $0 } == [0, 1, 2])
        #expect(pool.size == 1)
    }

    @Test("a connection released on another db is dropped")
    func dbDrift() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 1, maxSize: 2)
        defer { pool.close() }
        let connection = try await pool.acquire()
        try await connection.select(3)
        pool.release(connection)
        #expect(pool.size == 0)
        try await withTimeLimit { try await waitUntil { connection.isClosed } }
        // The pool still works, on its own db.
        #expect(try await pool.execute("CLIENT", "INFO", as: String.self).contains(" db=0 "))
        try await waitUntil { pool.size >= 1 }
    }

    @Test("select changes the db of free and new connections")
    func selectOnPool() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 2, maxSize: 3)
        defer { pool.close() }
        #expect(try await pool.select(7))
        #expect(pool.db == 7)
        let first = try await pool.acquire()
        let second = try await pool.acquire()
        let third = try await pool.acquire()  // newly opened
        for connection in [first, second, third] {
            #expect(connection.db == 7)
            #expect(try await connection.execute("CLIENT", "INFO", as: String.self).contains(" db=7 "))
            pool.release(connection)
        }
        await #expect(throws: ReplyError.self) { try await pool.select(100_000) }
        #expect(pool.db == 7)
        #expect(pool.size == 3)
    }

    @Test("clear closes the free connections; the pool opens new ones on demand")
    func clear() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 2, maxSize: 3)
        defer { pool.close() }
        let leased = try await pool.acquire()
        await pool.clear()
        #expect(pool.freeSize == 0)
        #expect(pool.size == 1)
        #expect(!leased.isClosed)
        pool.release(leased)
        #expect(try await pool.execute("ECHO", "still", as: String.self) == "still")
    }

    @Test("close fails in-flight calls and waiters; later calls get PoolClosedError")
    func closeWithInFlight() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 1, maxSize: 1)
        let leased = try await pool.acquire()
        let inFlight = Task { try await leased.execute("BLPOP", uniqueKey(), 0) }
        try await waitUntil { leased.pendingCount == 1 }
        let waiter = Task { try await pool.acquire() }
        try await waitUntil { pool.waiterCount == 1 }
        pool.close()
        await #expect(throws: ConnectionForcedCloseError.self) { _ = try await inFlight.value }
        await #expect(throws: PoolClosedError.self) { _ = try await waiter.value }
        await #expect(throws: PoolClosedError.self) { _ = try await pool.acquire() }
        await #expect(throws: PoolClosedError.self) { _ = try await pool.execute("PING") }
        #expect(pool.isClosed)
        try await withTimeLimit { await pool.waitClosed() }
        pool.release(leased)  // harmless after close
    }

    @Test("the Pub/Sub connection is dedicated and never used by execute")
    func dedicatedPubSub() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 1, maxSize: 3)
        defer { pool.close() }
        let channel = uniqueKey("poolchan")
        let confirmations = try await pool.executePubSub("subscribe", channel)
        #expect(confirmations.count == 1)
        #expect(pool.inPubSub == 1)
        let pubsubConnection = try #require(pool.dedicatedPubSubConnection)
        let localPort = try #require(pubsubConnection.channel.localAddress?.port)
        // Commands run on other connections: none is refused for Pub/Sub mode, none runs on the subscriber.
        let addresses = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<200 { group.addTask { try await pool.execute("CLIENT", "INFO", as: String.self) } }
            return try await group.reduce(into: Set<String>()) { seen, info in
                seen.insert(String(info.split(separator: " ").first { $0.hasPrefix("addr=") } ?? ""))
            }
        }
        #expect(!addresses.isEmpty)
        #expect(!addresses.contains("addr=127.0.0.1:\(localPort)"))
        let subscriber = try #require(pool.pubsubChannels[channel])
        let receivers = try await pool.execute("PUBLISH", channel, "ping", as: Int.self)
        #expect(receivers == 1)
        let message = try await withTimeLimit { try await subscriber.get() }
        #expect(message?.string() == "ping")
        #expect(pool.size <= 3)
    }

    @Test("withConnection releases after a throw and after cancellation")
    func withConnectionReleases() async throws {
        let pool = try await createPool(try TestServers.plain(), minSize: 1, maxSize: 1)
        defer { pool.close() }
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await pool.withConnection { _ in throw Boom() }
        }
        #expect(pool.freeSize == 1)
        let started = NIOLockedValueBox(false)
        let task = Task {
            try await pool.withConnection { connection in
                started.withLockedValue { $0 = true }
                return try await connection.execute("BLPOP", uniqueKey(), 0)
            }
        }
        try await waitUntil { started.withLockedValue { $0 } && pool.freeSize == 0 }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        // The connection still blocked by the abandoned BLPOP is dropped, not handed to the next caller.
        let echoed = try await withTimeLimit { try await pool.execute("ECHO", "fresh", as: String.self) }
        #expect(echoed == "fresh")
        try await waitUntil { pool.size == 1 && pool.freeSize == 1 }
    }

}

/// Tests on private servers (restarted, stopped, or whose clients are all killed): serialized, so one test's
/// restart never meets another's load. Other files add tests to this suite in extensions.
@Suite("On private servers", .serialized)
struct PrivateServerTests {
    @Test("10 000 concurrent executes over a pool of 4 use at most 4 connections")
    func manyOverFour() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        // Opened before the pool: the server numbers clients in order, so the pool's are those with a greater id
        // (whatever connected earlier, such as the server's startup probe, has a smaller one).
        let checker = try await createConnection(server.address)
        defer { checker.close() }
        let checkerID = try await checker.execute("CLIENT", "ID", as: Int.self)
        let pool = try await createPool(server.address, minSize: 1, maxSize: 4)
        defer { pool.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<10_000 {
                group.addTask {
                    let echoed = try await pool.execute("ECHO", "m\(index)", as: String.self)
                    #expect(echoed == "m\(index)")
                }
            }
            try await group.waitForAll()
        }
        #expect(pool.size <= 4)
        let clients = try await checker.execute("CLIENT", "LIST", as: String.self)
        let poolClients = clients.split(separator: "\n").count { line in
            guard let id = line.split(separator: " ").first.flatMap({ Int($0.dropFirst("id=".count)) }) else {
                return false
            }
            return id > checkerID
        }
        #expect(poolClients >= 1 && poolClients <= 4, "CLIENT LIST: \(clients)")
    }

    @Test("after a server restart under load the pool recovers")
    func serverRestart() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let pool = try await createPool(
            server.address, minSize: 2, maxSize: 4, createConnectionTimeout: .seconds(5))
        defer { pool.close() }
        let key = uniqueKey()
        _ = try await pool.execute("SET", key, "v")
        let stop = NIOLockedValueBox(false)
        let load = Task {
            var failures = 0
            while !stop.withLockedValue({ $0 }) {
                do { _ = try await pool.execute("INCR", key) } catch { failures += 1 }
                try? await Task.sleep(for: .milliseconds(1))
            }
            return failures
        }
        try await Task.sleep(for: .milliseconds(100))
        server.stop()
        try await Task.sleep(for: .milliseconds(200))
        try await server.start()
        // Later calls succeed on new connections, and the pool is back to minSize.
        try await withTimeLimit(.seconds(15)) {
            while true {
                if (try? await pool.execute("PING", as: String.self)) == "PONG" { return }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        stop.withLockedValue { $0 = true }
        _ = await load.value
        try await waitUntil(.seconds(10)) { pool.size >= 2 }
        for _ in 0..<100 {
            let reply = try await pool.execute("SET", key, "w", as: String.self)
            #expect(reply == "OK")
        }
    }

    @Test("callers waiting while the server is down get ConnectionClosedError after createConnectionTimeout")
    func serverDownWaiters() async throws {
        let server = try await PrivateRedisServer()
        let pool = try await createPool(
            server.address, minSize: 1, maxSize: 1, createConnectionTimeout: .milliseconds(500))
        defer { pool.close() }
        server.stop()
        try await waitUntil { pool.size == 0 }
        let started = ContinuousClock.now
        await #expect(throws: ConnectionClosedError.self) {
            _ = try await withTimeLimit { try await pool.acquire() }
        }
        await #expect(throws: ConnectionClosedError.self) {
            _ = try await withTimeLimit { try await pool.execute("SET", "k", "v") }
        }
        #expect(ContinuousClock.now - started < .seconds(8))
    }
}

import NIOConcurrencyHelpers

func withConnection<T>(_ address: RedisAddress, _ body: (RedisConnection) async throws -> T) async throws -> T {
    let connection = try await createConnection(address)
    defer { connection.close() }
    return try await body(connection)
}
