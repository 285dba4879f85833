import AsyncRedisTestSupport
import Foundation
import NIOCore
import Testing

@testable import AsyncRedis

/// The cluster client while a cluster changes under 100 tasks of load: each test on a private cluster of its own
/// (`PrivateCluster`), one at a time, so that the shared cluster and the other tests are not disturbed.
@Suite("Cluster resharding and failover under load", .serialized)
struct ClusterFailureTests {
    @Test("a slot migrated under 100 tasks of GET/SET: no error, every value right, ASK seen", .timeLimit(.minutes(2)))
    func migrationUnderLoad() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let (tag, slot) = keyTag(inSlotsOf: PrivateCluster.masterRanges[0])
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            let keys = (0..<100).map { "\(tag):\($0)" }
            // Keys the load does not touch, so that the migration takes a while and meets the load.
            for index in 0..<300 { try await redis.set("\(tag):idle:\(index)", "idle") }
            let started = ContinuousClock.now
            let outcome = try await ClusterLoad(redis: redis, keys: keys).run {
                try await cluster.migrate(slot: slot, from: 0, to: 1, batch: 5, pause: .milliseconds(10))
            }
            print("migration under load: \(ContinuousClock.now - started), \(outcome.writes) writes, \(outcome.reads) reads, redirections \(client.redirectionCounts)")
            #expect(outcome.readErrors.isEmpty, "\(outcome.readErrors.prefix(3))")
            #expect(outcome.documentedWriteErrors.isEmpty, "\(outcome.documentedWriteErrors.prefix(3))")
            #expect(outcome.otherWriteErrors.isEmpty, "\(outcome.otherWriteErrors.prefix(3))")
            #expect(outcome.wrongValues.isEmpty, "\(outcome.wrongValues.prefix(3))")
            #expect(outcome.hangs == 0)
            #expect(client.redirectionCounts.ask > 0)
            #expect(client.redirectionCounts.moved > 0)
            for (key, value) in outcome.finalValues { #expect(try await redis.get(key) == value, "\(key)") }
            for index in 0..<300 { #expect(try await redis.get("\(tag):idle:\(index)") == "idle") }
            // The slot now lives on the second master, and the client knows it.
            try await client.refreshTopology()
            #expect(try await cluster.master(of: slot) == 1)
        }
    }

    @Test("a replica promoted by CLUSTER FAILOVER under load: reads never fail, writes succeed or fail documented, nothing hangs",
          .timeLimit(.minutes(2)))
    func clusterFailoverUnderLoad() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            let replica = try await cluster.replica(of: 0)
            let keys = (0..<100).map { index in "\(keyTag(inSlotsOf: PrivateCluster.masterRanges[index % 3]).tag):\(index)" }
            let outcome = try await ClusterLoad(redis: redis, keys: keys).run(settle: .seconds(1)) {
                let promoted = try await cluster.connection(replica)
                defer { promoted.close() }
                _ = try await promoted.execute("CLUSTER", "FAILOVER")
                try await waitUntil("the replica is master", seconds: 20) {
                    try await promoted.execute("ROLE").clusterArray?.first?.clusterText == "master"
                }
            }
            print("CLUSTER FAILOVER under load: \(outcome.writes) writes, \(outcome.reads) reads, \(outcome.documentedWriteErrors.count) documented write errors, redirections \(client.redirectionCounts)")
            #expect(outcome.readErrors.isEmpty, "\(outcome.readErrors.prefix(3))")
            #expect(outcome.otherWriteErrors.isEmpty, "\(outcome.otherWriteErrors.prefix(3))")
            #expect(outcome.wrongValues.isEmpty, "\(outcome.wrongValues.prefix(3))")
            #expect(outcome.hangs == 0)
            #expect(client.redirectionCounts.moved > 0)
            for (key, value) in outcome.finalValues where value != nil {
                #expect(try await redis.get(key) == value, "\(key)")
            }
            try await client.refreshTopology()
            #expect(client.nodes.contains { $0.isPrimary && $0.port == cluster.servers[replica].port })
        }
    }

    /// The documented bound: a command to a killed master's slots waits up to 5 s for a connection, then is
    /// retried (the layout read again) for up to `retryTimeout` (10 s by default); the cluster elects the replica
    /// after `cluster-node-timeout` (2 s here) plus an election of about a second, so the client recovers within
    /// that bound, with no user action.
    @Test("a master killed with SIGKILL: the client follows the elected replica within the retry bound",
          .timeLimit(.minutes(2)))
    func killedMaster() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            let (tag, _) = keyTag(inSlotsOf: PrivateCluster.masterRanges[2])
            let (otherTag, _) = keyTag(inSlotsOf: PrivateCluster.masterRanges[0])
            try await redis.set("\(tag):k", "before")
            try await redis.set("\(otherTag):k", "other")
            let replica = try await cluster.replica(of: 2)
            // Let the replica copy the write before its master dies.
            let replicaConnection = try await cluster.connection(replica)
            defer { replicaConnection.close() }
            _ = try await replicaConnection.execute("READONLY")
            try await waitUntil("the replica has the key", seconds: 5) {
                try await replicaConnection.execute("GET", "\(tag):k", as: String?.self) == "before"
            }
            cluster.servers[2].stop()
            let killed = ContinuousClock.now
            // Other shards keep serving meanwhile.
            #expect(try await redis.get("\(otherTag):k") == "other")
            // A read of the dead master's slot is retried until the replica serves it.
            let read = try await withTimeLimit(.seconds(20)) { try await redis.get("\(tag):k") }
            let recovered = ContinuousClock.now - killed
            print("killed master: reads served again after \(recovered)")
            #expect(read == "before")
            // The bound: a refused node is given up after 5 s, then the read is retried for up to retryTimeout.
            #expect(recovered < .seconds(15))
            _ = try await withTimeLimit(.seconds(20)) { try await redis.set("\(tag):k", "after") }
            #expect(try await redis.get("\(tag):k") == "after")
            #expect(client.nodes.contains { $0.isPrimary && $0.port == cluster.servers[replica].port })
        }
    }

    @Test("a sharded Pub/Sub channel follows its slot to the new master, with a gap marker",
          .needsRedis7("SSUBSCRIBE"), .timeLimit(.minutes(2)))
    func shardedPubSubAcrossMigration() async throws {
        let cluster = try await PrivateCluster()
        defer { cluster.stop() }
        let client = try await createCluster(cluster.seeds)
        try await withCluster(client) { (redis: Redis) async throws -> Void in
            let (tag, slot) = keyTag(inSlotsOf: PrivateCluster.masterRanges[0])
            let name = "\(tag):news"
            let channel = try #require(try await redis.ssubscribe(name).first)
            #expect(try await redis.spublish(name, "one") == 1)
            #expect(try await withTimeLimit { try await channel.get() }?.payload == ByteBuffer(string: "one"))
            try await cluster.migrate(slot: slot, from: 0, to: 1)
            let marker = try await withTimeLimit(.seconds(15)) { try await channel.get() }
            #expect(marker?.kind == .resubscribed)
            #expect(channel.isActive)
            #expect(try await redis.spublish(name, "two") == 1)
            #expect(try await withTimeLimit { try await channel.get() }?.payload == ByteBuffer(string: "two"))
            #expect(client.pubsubShardChannels[name] === channel)
        }
    }
}
