import Testing

@testable import AsyncRedis

/// What the commands too dangerous for a shared test server send (they run against a real server only where a
/// private one can take them: see CommandsPrivateServerTests), and the arguments they refuse before sending.
@Suite("Administrative commands: their arguments, and what they refuse")
struct AdminCommandEncodingTests {
    let commands = RedisCommands()

    func sent<T>(_ command: RedisCommand<T>) -> [String] {
        [command.name] + command.arguments.map(RedisCommandsTests.text)
    }

    @Test("cluster slot administration spells ranges as start/end pairs and refuses slots outside 0...16383")
    func clusterSlots() throws {
        #expect(sent(try commands.clusterAddSlotsRange([0...99, 200...200]))
            == ["CLUSTER", "ADDSLOTSRANGE", "0", "99", "200", "200"])
        #expect(sent(try commands.clusterDelSlotsRange([5...9])) == ["CLUSTER", "DELSLOTSRANGE", "5", "9"])
        #expect(sent(try commands.clusterFlushSlots()) == ["CLUSTER", "FLUSHSLOTS"])
        #expect(sent(try commands.clusterBumpEpoch()) == ["CLUSTER", "BUMPEPOCH"])
        #expect(throws: InvalidArgumentError.self) { try commands.clusterAddSlotsRange([0...16384]) }
        #expect(throws: InvalidArgumentError.self) { try commands.clusterDelSlotsRange([]) }
    }

    @Test("SHUTDOWN, FAILOVER, SLAVEOF and MODULE LOADEX options")
    func serverControl() throws {
        #expect(sent(try commands.shutdown()) == ["SHUTDOWN"])
        #expect(sent(try commands.shutdown(save: .save, now: true, force: true))
            == ["SHUTDOWN", "SAVE", "NOW", "FORCE"])
        #expect(sent(try commands.shutdown(abort: true)) == ["SHUTDOWN", "ABORT"])
        #expect(sent(try commands.failover()) == ["FAILOVER"])
        #expect(sent(try commands.failover(to: ("10.0.0.2", 6380), force: true, timeout: .seconds(2)))
            == ["FAILOVER", "TO", "10.0.0.2", "6380", "FORCE", "TIMEOUT", "2000"])
        #expect(sent(try commands.failover(abort: true)) == ["FAILOVER", "ABORT"])
        #expect(throws: InvalidArgumentError.self) { try commands.failover(force: true) }
        #expect(sent(try commands.slaveof(host: nil)) == ["SLAVEOF", "NO", "ONE"])
        #expect(throws: InvalidArgumentError.self) { try commands.slaveof(host: "h") }
        #expect(sent(try commands.moduleLoadEx("/m.so", configs: [("a", "1")], arguments: ["x"]))
            == ["MODULE", "LOADEX", "/m.so", "CONFIG", "a", "1", "ARGS", "x"])
    }

    @Test("CLIENT TRACKING spells its options; OPTIN with OPTOUT is refused")
    func clientTracking() throws {
        let tracking = try commands.clientTracking(
            true, redirect: 7, prefixes: ["a:", "b:"], broadcast: true, noLoop: true)
        #expect(sent(tracking)
            == ["CLIENT", "TRACKING", "ON", "REDIRECT", "7", "PREFIX", "a:", "PREFIX", "b:", "BCAST", "NOLOOP"])
        #expect(throws: InvalidArgumentError.self) { try commands.clientTracking(true, optIn: true, optOut: true) }
    }

    @Test("the multi-key pops refuse an empty key list and a count below 1")
    func multiPop() {
        #expect(throws: InvalidArgumentError.self) { try commands.zmpop([], .min) }
        #expect(throws: InvalidArgumentError.self) { try commands.lmpop(["k"], end: .left, count: 0) }
        #expect(throws: InvalidArgumentError.self) { try commands.zdiff([]) }
    }
}
