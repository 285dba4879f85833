import AsyncRedis
import Foundation
import Testing

/// Commands that change or hold up a whole server (SHUTDOWN, REPLICAOF, FUNCTION RESTORE, LATENCY RESET,
/// PFSELFTEST) on servers of the test's own, so that no shared server is stopped, re-parented, blocked or has its
/// libraries or latency data replaced.
@Suite("Server-wide commands on private servers: SHUTDOWN, REPLICAOF, FUNCTION DUMP/RESTORE, LATENCY")
struct CommandsPrivateServerTests {
    @Test("SHUTDOWN NOSAVE stops the server: the call ends without a reply and nothing answers afterwards")
    func shutdown() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let redis = try await createRedis(server.address)
        defer { redis.close() }
        await #expect(throws: (any Error).self) { try await redis.shutdown(save: .noSave) }
        var refused = false
        for _ in 0..<100 where !refused {
            do {
                let probe = try await createConnection(server.address)
                probe.close()
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                refused = true
            }
        }
        #expect(refused, "the server still accepts connections after SHUTDOWN")
    }

    @Test("REPLICAOF makes a server a replica of another, REPLICAOF NO ONE a master again; SLAVEOF too")
    func replicaof() async throws {
        let master = try await PrivateRedisServer()
        defer { master.stop() }
        let replica = try await PrivateRedisServer()
        defer { replica.stop() }
        let redis = try await createRedis(replica.address)
        defer { redis.close() }
        #expect(try await redis.replicaof(host: "127.0.0.1", port: master.port))
        #expect(try await redis.info("replication")["replication"]?["role"] == "slave")
        #expect(try await redis.info("replication")["replication"]?["master_port"] == "\(master.port)")
        #expect(try await redis.replicaofNoOne())
        #expect(try await redis.info("replication")["replication"]?["role"] == "master")
        #expect(try await redis.slaveof(host: "127.0.0.1", port: master.port))
        #expect(try await redis.info("replication")["replication"]?["role"] == "slave")
        #expect(try await redis.slaveof(host: nil))
        #expect(try await redis.info("replication")["replication"]?["role"] == "master")
    }

    @Test("FUNCTION DUMP and RESTORE carry the libraries over a flush; STATS reports the engine",
          .needsRedis7("functions are new in Redis 7.0"))
    func functionDumpRestore() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let redis = try await createRedis(server.address)
        defer { redis.close() }
        let code = "#!lua name=dumped\nredis.register_function('dumped_one', function() return 1 end)"
        #expect(try await redis.functionLoad(code) == "dumped")
        let payload = try await redis.functionDump()
        #expect(!payload.isEmpty)
        #expect(try await redis.functionFlush())
        #expect(try await redis.functionList().isEmpty)
        #expect(try await redis.functionRestore(payload))
        #expect(try await redis.functionList().map(\.libraryName) == ["dumped"])
        #expect(try await redis.fcall("dumped_one", as: Int.self) == 1)
        await expectReplyError(code: "ERR") { try await redis.functionRestore(payload) }
        #expect(try await redis.functionRestore(payload, policy: .replace))
        let stats = try await redis.functionStats()
        #expect(stats["running_script"]?.isNull == true)
        let engines = try [String: RESPValue](fromRESP: try #require(stats["engines"]), encoding: .utf8)
        #expect(engines.keys.contains("LUA"))
    }

    @Test("PFSELFTEST passes (it keeps the server busy for a second or two, hence a server of its own)")
    func pfselftest() async throws {
        let server = try await PrivateRedisServer()
        defer { server.stop() }
        let redis = try await createRedis(server.address)
        defer { redis.close() }
        #expect(try await redis.pfselftest())
    }

    @Test("LATENCY LATEST, HISTORY, GRAPH, DOCTOR and RESET report a command slower than the threshold")
    func latency() async throws {
        let server = try await PrivateRedisServer(extraArguments: ["--latency-monitor-threshold", "1"])
        defer { server.stop() }
        let redis = try await createRedis(server.address)
        defer { redis.close() }
        // A script that keeps the server busy well past the 1 ms threshold.
        _ = try await redis.eval("local i = 0 while i < 5000000 do i = i + 1 end return i")
        let latest = try await redis.latencyLatest()
        let event = try #require(latest.first { $0.name == "command" })
        #expect(event.maxMilliseconds >= 1 && event.latestMilliseconds >= 1 && event.timestamp > 1_600_000_000)
        let history = try await redis.latencyHistory("command")
        #expect(!history.isEmpty && history.allSatisfy { $0.milliseconds >= 1 })
        #expect(try await redis.latencyGraph("command").contains("command"))
        #expect(try await !redis.latencyDoctor().isEmpty)
        if TestServerFlavour.isAtLeast(7) {
            let histogram = try await redis.latencyHistogram(["eval"])
            let eval = try #require(histogram["eval"])
            #expect(eval.calls == 1 && eval.histogram.values.max() == 1)
        }
        #expect(try await redis.latencyReset() >= 1)
        #expect(try await redis.latencyLatest().isEmpty)
    }
}
