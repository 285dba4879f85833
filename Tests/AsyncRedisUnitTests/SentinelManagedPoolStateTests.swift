@testable import AsyncRedis
import Testing

/// The managed pool's state machine, without sockets: which pool a command goes to, when a discovery starts, and
/// which pools are closed when one ends.
@Suite final class SentinelManagedPoolStateTests {
    private var made: [ConnectionsPool] = []

    /// A pool must be closed before it goes away; these never open a connection.
    deinit {
        for pool in made { pool.close() }
    }

    /// A pool that never connects (nothing is opened before its first command).
    func pool(_ port: Int) throws -> ConnectionsPool {
        let pool = try ConnectionsPool(
            configuration: RedisConnectionConfiguration(address: .tcp(host: "127.0.0.1", port: port)), minSize: 0,
            maxSize: 1, createConnectionTimeout: nil)
        made.append(pool)
        return pool
    }

    func discovery() -> Task<[ConnectionsPool], any Error> { Task { [] } }

    func used(_ target: SentinelManagedPoolState.Target) -> ConnectionsPool? {
        if case .use(let pool, _) = target { return pool }
        return nil
    }

    @Test func theFirstCallerStartsADiscoveryAndLaterOnesWaitForIt() throws {
        var state = SentinelManagedPoolState()
        guard case .discover(let previous) = state.target() else { Issue.record("no discovery asked for"); return }
        #expect(previous.isEmpty)
        state.discoveryStarted(discovery(), previous: [])
        guard case .wait = state.target() else { Issue.record("a second caller did not wait"); return }
    }

    @Test func replicasAreUsedInTurn() throws {
        var state = SentinelManagedPoolState()
        let (a, b) = (try pool(1), try pool(2))
        state.discoveryStarted(discovery(), previous: [])
        #expect(state.discoveryFinished(.success([a, b])).isEmpty)
        let chosen = (0..<4).compactMap { _ in used(state.target()) }
        #expect(chosen.map(ObjectIdentifier.init) == [b, a, b, a].map(ObjectIdentifier.init))
    }

    @Test func aFailureOnReplacedPoolsStartsNoSecondDiscovery() throws {
        var state = SentinelManagedPoolState()
        let (a, b, c) = (try pool(1), try pool(2), try pool(3))
        state.discoveryStarted(discovery(), previous: [])
        _ = state.discoveryFinished(.success([a, b]))
        let generation = state.generation
        let toRecheck = try #require(state.recheck(generation: generation))
        state.discoveryStarted(discovery(), previous: toRecheck)
        // Commands keep seeing the pools in use while the discovery runs; a second failure asks for nothing.
        #expect(state.pools.count == 2)
        #expect(state.recheck(generation: generation) == nil)
        // The discovery keeps `a` and finds `c`: only `b` is closed.
        let closed = state.discoveryFinished(.success([a, c]))
        #expect(closed.map(ObjectIdentifier.init) == [ObjectIdentifier(b)])
        #expect(state.generation == generation + 1)
        #expect(state.recheck(generation: generation) == nil)
    }

    @Test func unreachableSentinelsKeepThePoolsInUseOtherFailuresDropThem() throws {
        var state = SentinelManagedPoolState()
        let a = try pool(1)
        state.discoveryStarted(discovery(), previous: [])
        _ = state.discoveryFinished(.success([a]))

        state.discoveryStarted(discovery(), previous: try #require(state.recheck(generation: state.generation)))
        let unreachable = DiscoveryFailure(error: SentinelUnreachableError([]), isTransient: false)
        #expect(state.discoveryFinished(.failure(unreachable)).isEmpty)
        #expect(used(state.target()) === a)

        state.discoveryStarted(discovery(), previous: try #require(state.recheck(generation: state.generation)))
        let down = DiscoveryFailure(error: MasterNotFoundError("down"), isTransient: true)
        #expect(state.discoveryFinished(.failure(down)).map(ObjectIdentifier.init) == [ObjectIdentifier(a)])
        guard case .discover = state.target() else { Issue.record("the next caller does not discover"); return }
    }

    @Test func closingWhileDiscoveringClosesWhatTheDiscoveryFindsToo() throws {
        var state = SentinelManagedPoolState()
        let (a, b) = (try pool(1), try pool(2))
        state.discoveryStarted(discovery(), previous: [])
        _ = state.discoveryFinished(.success([a]))
        state.discoveryStarted(discovery(), previous: try #require(state.recheck(generation: state.generation)))
        let closing = state.close()
        #expect(closing.pools.map(ObjectIdentifier.init) == [ObjectIdentifier(a)])
        #expect(closing.discovery != nil)
        #expect(state.isClosed)
        #expect(state.discoveryFinished(.success([b])).map(ObjectIdentifier.init) == [ObjectIdentifier(b)])
        guard case .closed = state.target() else { Issue.record("a closed pool offered a target"); return }
    }
}
