import AsyncRedisTestSupport
import Testing

@testable import AsyncRedis

/// MULTI/EXEC blocks whose slot moved without the client knowing, on a private cluster (`PrivateCluster`): a block
/// the node refused whole (EXECABORT after MOVED/ASK while queuing: nothing ran) is run again on the new owner;
/// a redirection outside MULTI (WATCH) is thrown.
@Suite("Cluster transactions meeting MOVED and ASK", .serialized)
struct ClusterTransactionRedirectionTests {
    @Test("a block queued on the slot's old master is run once, whole, on the new one; WATCH's MOVED is thrown",
          .timeLimit(.minutes(2)))
    func blocksFollowMigrations() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let (tag, slot) = keyTag(inSlotsOf: PrivateCluster.masterRanges[0])
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            let counter = "\(tag):counter"
            #expect(try await redis.multiExec([("SET", ["\(tag):a", "1"]), ("INCR", [counter])]).count == 2)

            // Moved behind the client's back: the block meets MOVED at its first queued command.
            try await cluster.migrate(slot: slot, from: 0, to: 1)
            let moved = client.redirectionCounts.moved
            let replies = try await redis.multiExec([("SET", ["\(tag):a", "2"]), ("INCR", [counter])])
            #expect(replies.last?.clusterInteger == 2, "the block ran exactly once")
            #expect(client.redirectionCounts.moved > moved)
            #expect(try await redis.get("\(tag):a") == "2")

            // The queued form, after the slot moved back.
            try await cluster.migrate(slot: slot, from: 1, to: 0)
            let block = redis.multiExec()
            let incremented = block.queue { try $0.incr(counter) }
            try await block.execute()
            #expect(try await incremented.value == 3)

            // WATCH is not inside MULTI: its MOVED is thrown, and the next try reaches the new owner. (The layout
            // refresh the queued block's MOVED started may land after this migration: the client then knows the
            // new owner already and the first try runs; either way INCR runs exactly once.)
            try await cluster.migrate(slot: slot, from: 0, to: 1)
            do {
                _ = try await redis.transaction(watching: [counter]) { _ in [("INCR", [counter])] }
            } catch let refused as ReplyError {
                #expect(refused.code == "MOVED")
                try await waitUntil("the client learnt the new owner", seconds: 5) {
                    (try? await redis.transaction(watching: [counter]) { _ in [("INCR", [counter])] }) != nil
                }
            }
            #expect(try await redis.get(counter) == "4", "INCR ran once")
        }
    }

    @Test("a block meeting ASK during a migration runs on the importing node after ASKING; TRYAGAIN waits for the end",
          .timeLimit(.minutes(2)))
    func blockFollowsAsk() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let (tag, slot) = keyTag(inSlotsOf: PrivateCluster.masterRanges[0])
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            try await redis.set("\(tag):old", "old")
            let source = try await cluster.connection(0)
            let target = try await cluster.connection(1)
            defer {
                source.close()
                target.close()
            }
            _ = try await target.execute("CLUSTER", "SETSLOT", slot, "IMPORTING", cluster.ids[0])
            _ = try await source.execute("CLUSTER", "SETSLOT", slot, "MIGRATING", cluster.ids[1])
            // A key the source does not hold: it answers ASK while queuing.
            let asks = client.redirectionCounts.ask
            let replies = try await redis.multiExec([("SET", ["\(tag):new1", "1"]), ("APPEND", ["\(tag):new1", "2"])])
            #expect(replies.count == 2)
            #expect(client.redirectionCounts.ask > asks)
            _ = try await target.execute("ASKING")
            #expect(try await target.execute("GET", "\(tag):new1", as: String?.self) == "12")
            // The source does not hold it: it still answers ASK for it.
            let onSource = await #expect(throws: ReplyError.self) { try await source.execute("EXISTS", "\(tag):new1") }
            #expect(onSource?.code == "ASK")

            // Two missing keys: the importing node answers TRYAGAIN until the slot is its own, so the block waits.
            let started = ContinuousClock.now
            let twoKeys = Task {
                try await redis.multiExec([("SET", ["\(tag):new2", "2"]), ("SET", ["\(tag):new3", "3"])])
            }
            try await Task.sleep(for: .seconds(1))
            try await cluster.migrate(slot: slot, from: 0, to: 1)
            #expect(try await twoKeys.value.count == 2)
            print("a two-key block during a migration ran after \(ContinuousClock.now - started)")
            for (suffix, value) in [("old", "old"), ("new1", "12"), ("new2", "2"), ("new3", "3")] {
                #expect(try await redis.get("\(tag):\(suffix)") == value)
            }
        }
    }
}
