import AsyncRedis
import AsyncRedisTestSupport
import Foundation
import Synchronization
import Testing

/// The Sentinel client against the real group (three sentinels, a master and a replica). Serialized: failover
/// tests change which node is master, and every test puts the group back before the next one.
@Suite(.serialized) struct SentinelTests {
    // MARK: SENTINEL commands

    @Test func sentinelCommandsDescribeTheGroup() async throws {
        try await SentinelGroup.restore()
        let name = try SentinelGroup.name()
        try await withSentinelClient { sentinel async throws in
            #expect(try await sentinel.ping() == "PONG")
            let master = try await sentinel.master(name)
            #expect(master["name"] == name)
            #expect(master["flags"] == "master")
            #expect(master["port"] == "\(try SentinelGroup.originalMasterPort())")
            for key in ["ip", "quorum", "num-slaves", "num-other-sentinels", "down-after-milliseconds", "config-epoch"] {
                #expect(master[key] != nil, "SENTINEL MASTER lacks \(key)")
            }
            #expect(try await sentinel.masters()[name]?["port"] == master["port"])
            let address = try #require(try await sentinel.masterAddress(name))
            #expect(address.port == (try SentinelGroup.originalMasterPort()))

            let replicas = try await sentinel.slaves(name)
            #expect(replicas.count == 1)
            #expect(replicas.first?["flags"] == "slave")
            #expect(replicas.first?["port"] == "\(try SentinelGroup.originalReplicaPort())")
            #expect(try await sentinel.replicas(name).map { $0["port"] } == replicas.map { $0["port"] })

            let peers = try await sentinel.sentinels(name)
            #expect(peers.count == 2)
            #expect(peers.allSatisfy { $0["flags"] == "sentinel" })
            #expect(try await sentinel.checkQuorum(name))
        }
    }

    @Test func unknownNamesGetTheServersAnswer() async throws {
        try await withSentinelClient { sentinel async throws in
            #expect(try await sentinel.masterAddress("no-such-master") == nil)
            await #expect(throws: ReplyError.self) { try await sentinel.master("no-such-master") }
            await #expect(throws: ReplyError.self) { try await sentinel.slaves("no-such-master") }
            await #expect(throws: ReplyError.self) { try await sentinel.sentinels("no-such-master") }
            await #expect(throws: ReplyError.self) { try await sentinel.remove("no-such-master") }
        }
    }

    @Test func setChangesAnOptionAndCheckQuorumReportsTheLackOfOne() async throws {
        let name = try SentinelGroup.name()
        // Only the sentinel asked changes: address one sentinel alone.
        try await withSentinelClient([try SentinelGroup.sentinels()[0]]) { sentinel async throws in
            #expect(try await sentinel.set(name, "quorum", 4))
            #expect(try await sentinel.master(name)["quorum"] == "4")
            // Three sentinels cannot reach a quorum of four.
            await #expect(throws: ReplyError.self) { try await sentinel.checkQuorum(name) }
            #expect(try await sentinel.set(name, "quorum", 2))
            #expect(try await sentinel.checkQuorum(name))
            await #expect(throws: ReplyError.self) { try await sentinel.set(name, "no-such-option", "x") }
        }
    }

    @Test func monitorAndRemoveAName() async throws {
        let name = "asyncredis-monitor-\(UUID().uuidString.prefix(8))"
        try await withSentinelClient([try SentinelGroup.sentinels()[0]]) { sentinel async throws in
            // The plain test server, watched under a second name for the length of the test.
            #expect(try await sentinel.monitor(name: name, address: try TestServers.plain(), quorum: 1))
            #expect(try await sentinel.masterAddress(name)?.port == (try TestServers.port()))
            #expect(try await sentinel.remove(name))
            #expect(try await sentinel.masterAddress(name) == nil)
            await #expect(throws: InvalidArgumentError.self) {
                try await sentinel.monitor(name: name, address: .unix(path: "/tmp/x.sock"), quorum: 1)
            }
        }
    }

    @Test func closingFailsLaterCallsWithPoolClosedError() async throws {
        let sentinel = try await createSentinel(try SentinelGroup.sentinels())
        let master = sentinel.masterFor(try SentinelGroup.name())
        #expect(try await master.ping() == "PONG")
        sentinel.close()
        #expect(sentinel.isClosed)
        #expect(master.isClosed)
        await #expect(throws: PoolClosedError.self) { try await sentinel.ping() }
        await #expect(throws: PoolClosedError.self) { try await master.ping() }
        await #expect(throws: PoolClosedError.self) { try await sentinel.masterFor("other").ping() }
        try await withTimeLimit { await sentinel.waitClosed() }
    }

    // MARK: Discovery

    @Test func masterForConnectsOnFirstUseAndTalksToTheMaster() async throws {
        try await SentinelGroup.restore()
        try await withSentinelClient(minSize: 3) { sentinel async throws in
            let redis = sentinel.masterFor(try SentinelGroup.name())
            let pool = try #require(redis.connection as? SentinelManagedPool)
            #expect(pool === sentinel.pool.masterFor(try SentinelGroup.name()))
            #expect(pool.size == 0)
            #expect(pool.address.port == 0)

            let role = try await redis.role()
            #expect(try String(fromRESP: role[0], encoding: .utf8) == "master")
            #expect(pool.address.port == (try SentinelGroup.originalMasterPort()))
            #expect(pool.size == 3)

            let key = uniqueKey()
            #expect(try await redis.set(key, "v1"))
            #expect(try await redis.get(key) == "v1")
            // MULTI/EXEC leases one connection of the managed pool.
            let tx = redis.multiExec()
            let incremented = tx.queue { try $0.incr(key + ":n") }
            try await tx.execute()
            #expect(try await incremented.value == 1)
            _ = try await redis.del(key, key + ":n")
        }
    }

    @Test func slaveForReadsFromTheReplicaAndRefusesWrites() async throws {
        try await SentinelGroup.restore()
        try await withSentinelClient { sentinel async throws in
            let name = try SentinelGroup.name()
            let master = sentinel.masterFor(name)
            let replica = sentinel.slaveFor(name)
            let key = uniqueKey()
            #expect(try await master.set(key, "replicated"))
            #expect(try await master.wait(replicas: 1, timeout: .seconds(5)) == 1)

            let role = try await replica.role()
            #expect(try String(fromRESP: role[0], encoding: .utf8) == "slave")
            #expect(replica.address.port == (try SentinelGroup.originalReplicaPort()))
            #expect(try await replica.get(key) == "replicated")
            await #expect(throws: ReadOnlyError.self) { try await replica.set(key, "nope") }
            _ = try await master.del(key)
        }
    }

    @Test func anUnknownNameFailsAtOnceWithMasterOrSlaveNotFound() async throws {
        try await withSentinelClient { sentinel async throws in
            let started = ContinuousClock.now
            await #expect(throws: MasterNotFoundError.self) { try await sentinel.masterFor("no-such-master").ping() }
            await #expect(throws: SlaveNotFoundError.self) { try await sentinel.slaveFor("no-such-master").ping() }
            // Not a failover: nothing to wait for.
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func sentinelsThatCannotBeReachedAreSkippedAndNamedWhenAllAre() async throws {
        let dead = try await unusedAddresses(2)
        // Two unreachable sentinels ahead of the real ones: the first real one answers and moves to the front.
        try await withSentinelClient(dead + (try SentinelGroup.sentinels())) { sentinel async throws in
            #expect(try await sentinel.masterFor(try SentinelGroup.name()).ping() == "PONG")
            #expect(sentinel.pool.sentinels.first == (try SentinelGroup.sentinels()[0]))
        }
        do {
            _ = try await createSentinel(dead, timeout: .seconds(1))
            Issue.record("createSentinel succeeded with no sentinel reachable")
        } catch let error as SentinelUnreachableError {
            #expect(error.failures.map(\.address) == dead)
            for address in dead { #expect(error.message.contains("\(address.port!)")) }
        }
    }

    @Test func theOtherSentinelsAreLearnedFromTheOneGiven() async throws {
        try await SentinelGroup.waitUntilHealthy()
        let all = try SentinelGroup.sentinels()
        try await withSentinelClient([all[1]]) { sentinel async throws in
            _ = try await sentinel.masterFor(try SentinelGroup.name()).ping()
            let known = Set(sentinel.pool.sentinels.compactMap(\.port))
            #expect(known == Set(all.compactMap(\.port)))
        }
    }

    @Test func aStaleSentinelNamingADemotedNodeIsPassedOver() async throws {
        try await SentinelGroup.restore()
        let name = try SentinelGroup.name()
        // A real sentinel cannot be held stale on demand (its peers' hello messages correct it within
        // seconds), so this one is scripted: it names the replica as the master, as a sentinel that missed the
        // last failover names the demoted node.
        let staleFields = ["name", name, "ip", "127.0.0.1", "port", "\(try SentinelGroup.originalReplicaPort())",
            "flags", "master"]
        var reply = "*\(staleFields.count)\r\n"
        for field in staleFields { reply += "$\(field.utf8.count)\r\n\(field)\r\n" }
        let stale = try await ScriptedServer(reply: Array(reply.utf8))
        let staleAddress = RedisAddress.tcp(host: "127.0.0.1", port: stale.port)

        try await withSentinelClient([staleAddress] + (try SentinelGroup.sentinels())) { sentinel async throws in
            let master = sentinel.masterFor(name)
            #expect(try await master.set(uniqueKey(), "written to the real master"))
            #expect(master.address.port == (try SentinelGroup.originalMasterPort()))
        }
        // With only the stale sentinel, discovery keeps finding a replica: MasterReplyError once the failover
        // bound passes.
        try await withSentinelClient([staleAddress], failoverTimeout: .seconds(1)) { sentinel async throws in
            do {
                _ = try await sentinel.masterFor(name).ping()
                Issue.record("a replica was accepted as the master")
            } catch let error as MasterReplyError {
                #expect(error.message.contains("ROLE slave"))
            }
        }
        await stale.close()
    }

    // MARK: Credentials

    @Test func nodesAndSentinelsTakeTheirOwnCredentials() async throws {
        try await SentinelGroup.restore()
        let name = try SentinelGroup.name()
        let nodePassword = UUID().uuidString
        let sentinelPassword = UUID().uuidString
        let nodes = [try SentinelGroup.originalMasterPort(), try SentinelGroup.originalReplicaPort()]
        for port in nodes {
            try await SentinelGroup.withNode(port) {
                _ = try await $0.execute("ACL", "SETUSER", "sentinel-test-node", "on", ">\(nodePassword)", "~*", "&*", "+@all")
            }
        }
        try await SentinelGroup.withSentinel {
            _ = try await $0.execute("ACL", "SETUSER", "sentinel-test-client", "on", ">\(sentinelPassword)", "+@all")
        }
        let onlyFirst = [try SentinelGroup.sentinels()[0]]
        try await withCleanup({ try await removeUsers(nodes: nodes) }) {
            try await withSentinelClient(
                onlyFirst, username: "sentinel-test-node", password: nodePassword,
                sentinelUsername: "sentinel-test-client", sentinelPassword: sentinelPassword
            ) { sentinel async throws in
                let master = sentinel.masterFor(name)
                #expect(try await master.execute("ACL", "WHOAMI", as: String.self) == "sentinel-test-node")
                #expect(try await sentinel.execute("ACL", "WHOAMI", as: String.self) == "sentinel-test-client")
            }
            // A wrong node password: aioredis's MasterReplyError, with the AuthError as its cause, at once.
            try await withSentinelClient(onlyFirst, username: "sentinel-test-node", password: "wrong") { sentinel async throws in
                do {
                    _ = try await sentinel.masterFor(name).ping()
                    Issue.record("a wrong password was accepted")
                } catch let error as MasterReplyError {
                    #expect(error.cause is AuthError)
                    #expect(!error.message.contains(nodePassword))
                }
                await #expect(throws: SlaveReplyError.self) { try await sentinel.slaveFor(name).ping() }
            }
            // A wrong sentinel password: the sentinel cannot be used, and the error names it.
            await #expect(throws: SentinelUnreachableError.self) {
                try await withSentinelClient(onlyFirst, sentinelUsername: "sentinel-test-client", sentinelPassword: "wrong") { _ in }
            }
        }
    }

    @Test func noPasswordInTheSentinelClientsDescriptionsOrReflection() async throws {
        let secret = "Sentinel5ecret"
        let sentinel = try await createSentinel(try SentinelGroup.sentinels(), password: secret)
        defer { sentinel.close() }
        let objects: [Any] = [
            sentinel, sentinel.pool, sentinel.pool.masterFor(try SentinelGroup.name()),
            sentinel.masterFor(try SentinelGroup.name()),
        ]
        for object in objects {
            var dumped = ""
            dump(object, to: &dumped)
            for text in [String(describing: object), String(reflecting: object), dumped] {
                #expect(!text.contains(secret), "\(type(of: object)) shows the password")
            }
        }
    }

    @Test(.needsTLS) func aSentinelIsReachedOverTLS() async throws {
        try await SentinelGroup.restore()
        let port = try Int(TestServers.value("REDIS_SENTINEL_TLS_PORT"))!
        let trusted = try RedisTLS.trusting(caFile: try TestServers.tlsCA())
        let sentinel = try await createSentinel([.tcp(host: "localhost", port: port)], sentinelSSL: trusted)
        defer { sentinel.close() }
        #expect(try await sentinel.ping() == "PONG")
        #expect(try await sentinel.masterFor(try SentinelGroup.name()).ping() == "PONG")
        // Verified against the system's roots, the test CA's certificate is refused: the sentinel is unreachable.
        do {
            _ = try await createSentinel([try RedisAddress("rediss://localhost:\(port)")], timeout: .seconds(2))
            Issue.record("an untrusted certificate was accepted")
        } catch let error as SentinelUnreachableError {
            #expect(error.failures.count == 1)
        }
    }

    private func removeUsers(nodes: [Int]) async throws {
        for port in nodes {
            try await SentinelGroup.withNode(port) { _ = try await $0.execute("ACL", "DELUSER", "sentinel-test-node") }
        }
        try await SentinelGroup.withSentinel { _ = try await $0.execute("ACL", "DELUSER", "sentinel-test-client") }
    }

    // MARK: Failover

    @Test func aForcedFailoverUnderLoadLosesNoReadAndHangsNoCall() async throws {
        try await SentinelGroup.waitUntilHealthy()
        let name = try SentinelGroup.name()
        let oldMaster = try await SentinelGroup.masterPort()
        try await SentinelGroup.restoringAfterwards {
            try await withSentinelClient { sentinel async throws in
                let master = sentinel.masterFor(name)
                let replica = sentinel.slaveFor(name)
                _ = try await master.ping()
                _ = try await replica.ping()
                let outcome = try await runLoad(on: master, whileDoing: { try await SentinelGroup.failOver() })

                print("Sentinel: SENTINEL FAILOVER under load: reads \(outcome.reads), writes \(outcome.writes), after \(outcome.afterwards)")
                #expect(outcome.reads.errors.isEmpty, "reads failed: \(outcome.reads.errors)")
                // Writes in flight when the old master dropped its clients may have run: they fail with
                // ConnectionClosedError, nothing else.
                #expect(outcome.writes.errors.keys.allSatisfy { $0.contains("ConnectionClosedError") || $0.contains("ConnectionForcedCloseError") },
                    "writes failed with \(outcome.writes.errors)")
                #expect(outcome.afterwards.errors.isEmpty, "calls after the failover failed: \(outcome.afterwards.errors)")
                #expect(outcome.afterwards.successes > 0)

                let newMaster = try await SentinelGroup.masterPort()
                #expect(newMaster != oldMaster)
                #expect(master.address.port == newMaster)
                // The replica pool moved to the demoted node after +switch-master, without a failed call.
                try await eventually { replica.connection.address.port == oldMaster }
                #expect(try String(fromRESP: try await replica.role()[0], encoding: .utf8) == "slave")
            }
        }
    }

    @Test func switchMasterMovesAnIdlePoolBeforeItsNextCommand() async throws {
        try await SentinelGroup.waitUntilHealthy()
        let name = try SentinelGroup.name()
        try await SentinelGroup.restoringAfterwards {
            try await withSentinelClient { sentinel async throws in
                let master = sentinel.masterFor(name)
                _ = try await master.ping()
                let before = master.address.port
                try await SentinelGroup.failOver()
                let after = try await SentinelGroup.masterPort()
                // No command was sent: the +switch-master listener alone moved the pool.
                try await eventually { master.address.port == after }
                #expect(before != after)
            }
        }
    }

    @Test func aKilledMasterIsReplacedWithoutUserAction() async throws {
        try await SentinelGroup.waitUntilHealthy()
        let name = try SentinelGroup.name()
        let oldMaster = try await SentinelGroup.masterPort()
        try await SentinelGroup.restoringAfterwards {
            try await withSentinelClient { sentinel async throws in
                let master = sentinel.masterFor(name)
                let key = uniqueKey()
                #expect(try await master.set(key, "before"))
                #expect(try await master.wait(replicas: 1, timeout: .seconds(5)) == 1)

                try SentinelGroup.kill(nodeAt: oldMaster)
                let killed = ContinuousClock.now
                // A read issued while no master is up waits for the election (down-after 2 s, then the
                // failover) and is answered by the new master, within failoverTimeout.
                let value = try await withTimeLimit(.seconds(40)) { try await master.get(key) }
                let recovered = ContinuousClock.now - killed
                #expect(value == "before")
                #expect(master.address.port != oldMaster)
                #expect(try await master.set(key, "after"))
                print("Sentinel: a read after SIGKILL of the master was answered by the new master after \(recovered)")
            }
        }
    }

    // MARK: Helpers

    struct LoadOutcome {
        var reads: (successes: Int, errors: [String: Int])
        var writes: (successes: Int, errors: [String: Int])
        var afterwards: (successes: Int, errors: [String: Int])
    }

    /// 100 tasks read and write through `redis` while `action` runs, then once more each after it returned.
    /// Every call is bounded: a hang fails the test.
    func runLoad(on redis: Redis, whileDoing action: @escaping @Sendable () async throws -> Void) async throws
        -> LoadOutcome
    {
        let reads = OutcomeCounter()
        let writes = OutcomeCounter()
        let afterwards = OutcomeCounter()
        let done = StopFlag()
        let prefix = uniqueKey()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<100 {
                group.addTask {
                    let key = "\(prefix):\(task)"
                    var round = 0
                    while !done.isSet {
                        round += 1
                        let value = "\(round)"
                        let isWrite = round % 2 == 0
                        let error = await Self.boundedCall {
                            if isWrite { _ = try await redis.set(key, value) } else { _ = try await redis.get(key) }
                        }
                        await (isWrite ? writes : reads).record(error)
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    await afterwards.record(await Self.boundedCall { _ = try await redis.set(key, "final") })
                    await afterwards.record(await Self.boundedCall { _ = try await redis.get(key) })
                }
            }
            group.addTask {
                defer { done.set() }
                try await Task.sleep(for: .milliseconds(500))
                try await action()
                try await Task.sleep(for: .milliseconds(500))
            }
            try await group.waitForAll()
        }
        return LoadOutcome(
            reads: (await reads.successes, await reads.errors), writes: (await writes.successes, await writes.errors),
            afterwards: (await afterwards.successes, await afterwards.errors))
    }

    /// Runs `call`; its error, or a `TestSetupError` if it did not finish within 40 s.
    static func boundedCall(_ call: @escaping @Sendable () async throws -> Void) async -> (any Error)? {
        do {
            try await withTimeLimit(.seconds(40)) { try await call() }
            return nil
        } catch {
            return error
        }
    }

    /// Polls `condition` for up to 10 s.
    func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 10 s", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Addresses where nothing listens: ports of servers opened and closed at once.
    func unusedAddresses(_ count: Int) async throws -> [RedisAddress] {
        var addresses: [RedisAddress] = []
        for _ in 0..<count {
            let server = try await ScriptedServer(reply: nil)
            addresses.append(.tcp(host: "127.0.0.1", port: server.port))
            await server.close()
        }
        return addresses
    }
}

/// Runs `body` with a Sentinel client on the test group (or `addresses`) and closes it afterwards.
/// (Not generic in its result: a generic closure's `throws` is inferred from its body's syntax, which does not
/// see the `try` inside `#expect(...)`.)
func withSentinelClient(
    _ addresses: [RedisAddress]? = nil, failoverTimeout: Duration = .seconds(30), minSize: Int = 1,
    username: String? = nil, password: String? = nil,
    sentinelUsername: String? = nil, sentinelPassword: String? = nil,
    _ body: (RedisSentinel) async throws -> Void
) async throws {
    let sentinel = try await createSentinel(
        try addresses ?? SentinelGroup.sentinels(), username: username, password: password, minSize: minSize,
        timeout: .seconds(2), sentinelUsername: sentinelUsername, sentinelPassword: sentinelPassword,
        failoverTimeout: failoverTimeout)
    defer { sentinel.close() }
    try await body(sentinel)
}

/// A flag set once, read by many tasks.
final class StopFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
