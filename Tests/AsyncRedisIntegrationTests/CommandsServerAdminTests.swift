import AsyncRedis
import Foundation
import Testing

/// The server-group commands aioredis lacks (ACL, CLIENT tracking and unblocking, COMMAND DOCS/LIST, MEMORY,
/// MODULE, HELP, PUBSUB SHARD*, CLUSTER SHARDS/LINKS) against the shared servers; none changes what another test
/// relies on (an ACL user of its own, its own connections, read-only cluster checks).
@Suite("Server administration commands: ACL, CLIENT, COMMAND, MEMORY, MODULE, CLUSTER")
struct CommandsServerAdminTests {
    @Test("ACL SETUSER, GETUSER, USERS, LIST, DRYRUN, LOG, DELUSER manage a user; GENPASS, CAT, WHOAMI answer")
    func acl() async throws {
        try await withRedis { redis in
            let user = "acltest-\(UUID().uuidString.prefix(8))"
            let password = try await redis.aclGenPass()
            #expect(password.count == 64 && password.allSatisfy(\.isHexDigit))
            #expect(try await redis.aclGenPass(bits: 128).count == 32)
            let rules = ["on", ">\(password)", "~acl:*", "+get", "+ping", "+acl|whoami"]
            #expect(try await redis.aclSetUser(user, rules: rules))
            let found = try #require(try await redis.aclGetUser(user))
            #expect(found.flags.contains("on"))
            #expect(found.passwords.count == 1 && !found.passwords.contains(password))
            #expect(found.commands.contains("+get"))
            #expect(found.keys == [TestServerFlavour.isAtLeast(7) ? "~acl:*" : "acl:*"])
            #expect(try await redis.aclUsers().contains(user))
            #expect(try await redis.aclList().contains { $0.hasPrefix("user \(user) on") })
            #expect(try await redis.aclWhoAmI() == "default")
            #expect(try await redis.aclCat().contains("read"))
            #expect(try await redis.aclCat("string").contains("get"))
            if TestServerFlavour.isAtLeast(7) {
                #expect(try await redis.aclDryRun(user, "get", ["acl:1"]) == nil)
                #expect(try await redis.aclDryRun(user, "set", ["acl:1", "v"]) != nil)
            }

            let limited = try await createRedis(try TestServers.plain(), username: user, password: password)
            #expect(try await limited.aclWhoAmI() == user)
            await expectReplyError(code: "NOPERM") { try await limited.set("acl:1", "v") }
            limited.close()
            let entry = try #require(try await redis.aclLog(count: 50).first { $0.username == user })
            #expect(entry.reason == "command" && entry.object == "set" && entry.count >= 1)
            #expect(entry.context == "toplevel" && entry.clientInfo["user"] == user)

            #expect(try await redis.aclDelUser([user]) == 1)
            #expect(try await redis.aclGetUser(user) == nil)
            // The shared server has no ACL file to load from or save to.
            await expectReplyError(code: "ERR") { try await redis.aclLoad() }
            await expectReplyError(code: "ERR") { try await redis.aclSave() }
        }
    }

    @Test("CLIENT TRACKING with REDIRECT shows in TRACKINGINFO and GETREDIR; CACHING, NO-EVICT, UNPAUSE answer")
    func clientTracking() async throws {
        try await withRedis { redis in
            try await withRedis { other in
                let otherID = try await other.clientId()
                let off = try await redis.clientTrackingInfo()
                #expect(off.flags == ["off"] && off.redirect == -1 && off.prefixes.isEmpty)
                #expect(try await redis.clientGetRedir() == -1)
                #expect(try await redis.clientTracking(true, redirect: otherID, prefixes: ["ct:"], broadcast: true))
                let on = try await redis.clientTrackingInfo()
                #expect(on.flags.isSuperset(of: ["on", "bcast"]) && on.redirect == otherID && on.prefixes == ["ct:"])
                #expect(try await redis.clientGetRedir() == otherID)
                #expect(try await redis.clientTracking(false))
                #expect(try await redis.clientTracking(true, redirect: otherID, optIn: true))
                #expect(try await redis.clientCaching(true))
                #expect(try await redis.clientTrackingInfo().flags.contains("caching-yes"))
                #expect(try await redis.clientTracking(false))
                #expect(try await redis.clientUnpause())
                if TestServerFlavour.isAtLeast(7) { #expect(try await redis.clientNoEvict(true)) }
            }
        }
    }

    @Test("CLIENT UNBLOCK ends another client's blocking command as a timeout; false for a client not blocked")
    func clientUnblock() async throws {
        try await withRedis { redis in
            try await withRedis { blocked in
                let blockedID = try await blocked.clientId()
                let key = uniqueKey()
                async let popped = blocked.blpop(key, timeout: .seconds(30))
                // Wait until the server has it blocked (CLIENT LIST shows the BLPOP as its last command).
                for _ in 0..<200 {
                    let clients = try await redis.clientList()
                    if clients.contains(where: { $0["id"] == "\(blockedID)" && $0["cmd"] == "blpop" }) { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(try await redis.clientUnblock(blockedID))
                #expect(try await popped == nil)
                #expect(try await redis.clientUnblock(blockedID, mode: .error) == false)
            }
        }
    }

    @Test("COMMAND DOCS, LIST and GETKEYSANDFLAGS describe the server's commands",
          .needsRedis7("COMMAND DOCS, LIST and GETKEYSANDFLAGS are new in Redis 7.0"))
    func commandIntrospection() async throws {
        try await withRedis { redis in
            let docs = try await redis.commandDocs(["get", "config"])
            let get = try #require(docs["get"])
            // Valkey words its summaries its own way.
            #expect(get.summary == (TestServerFlavour.name == "valkey" ? get.summary : "Get the value of a key"))
            #expect(!get.summary.isEmpty && get.since == "1.0.0" && get.group == "string" && get.complexity == "O(1)")
            #expect(docs["config"]?.subcommands["config|get"]?.group == "server")
            let names = try await redis.commandList()
            #expect(names.contains("get") && names.contains("acl|cat") && names.count > 200)
            #expect(try await redis.commandList(filter: .pattern("zdiff*")).sorted() == ["zdiff", "zdiffstore"])
            #expect(try await redis.commandList(filter: .aclCategory("hyperloglog")).contains("pfadd"))
            let keys = try await redis.commandGetKeysAndFlags("LMOVE", ["src", "dst", "LEFT", "RIGHT"])
            #expect(keys.map(\.key) == ["src", "dst"])
            #expect(keys[0].flags.contains("RW") && keys[1].flags.contains("insert"))
        }
    }

    @Test("every container command's HELP answers with text naming its subcommands")
    func subcommandHelp() async throws {
        try await withRedis { redis in
            for container in ["ACL", "CLIENT", "CONFIG", "MEMORY", "OBJECT", "XINFO"] {
                let lines = try await redis.subcommandHelp(container)
                #expect(lines.first?.uppercased().contains(container) == true, "\(container): \(lines.first ?? "")")
                #expect(lines.count > 3)
            }
        }
    }

    @Test("MEMORY DOCTOR, STATS, MALLOC-STATS and PURGE report on the server's memory")
    func memory() async throws {
        try await withRedis { redis in
            #expect(try await !redis.memoryDoctor().isEmpty)
            let stats = try await redis.memoryStats()
            let total = try #require(stats["total.allocated"])
            #expect(try Int(fromRESP: total, encoding: .utf8) > 0)
            #expect(stats["keys.count"] != nil)
            #expect(try await !redis.memoryMallocStats().isEmpty)
            #expect(try await redis.memoryPurge())
        }
    }

    @Test("MODULE LIST answers the loaded modules (none on the test server); LOAD and UNLOAD report what fails")
    func modules() async throws {
        try await withRedis { redis in
            let modules = try await redis.moduleList()
            #expect(modules == [])
            await expectReplyError(code: "ERR") { try await redis.moduleLoad("/nonexistent/module.so") }
            await expectReplyError(code: "ERR") { try await redis.moduleUnload("nosuchmodule") }
        }
    }

    @Test("PUBSUB SHARDCHANNELS and SHARDNUMSUB see a shard subscription",
          .needsRedis7("sharded Pub/Sub is new in Redis 7.0"))
    func shardChannels() async throws {
        try await withRedis { redis in
            try await withRedis { subscriber in
                let channel = uniqueKey()
                _ = try await subscriber.ssubscribe(channel)
                #expect(try await redis.pubsubShardchannels(pattern: channel) == [channel])
                let counts = try await redis.pubsubShardnumsub([channel, "\(channel)-none"])
                #expect(counts == [channel: 1, "\(channel)-none": 0])
                try await subscriber.sunsubscribe(channel)
            }
        }
    }

    @Test("CLUSTER SHARDS, LINKS and SLAVES describe the shared cluster; ASKING is accepted",
          .needsRedis7("CLUSTER SHARDS and LINKS are new in Redis 7.0"))
    func clusterDescriptions() async throws {
        let redis = try await CommandsClusterTests.node()
        defer { redis.close() }
        let shards = try await redis.clusterShards()
        #expect(shards.count == 3)
        for shard in shards {
            #expect(try [RESPValue](fromRESP: try #require(shard["nodes"]), encoding: .utf8).count == 2)
        }
        let links = try await redis.clusterLinks()
        #expect(links.count >= 5 && links.allSatisfy { $0["direction"] != nil && $0["node"] != nil })
        let master = try #require(try await redis.clusterNodes().first { $0.flags.contains("master") })
        let replicas = try await redis.clusterReplicas(master.id)
        #expect(try await redis.clusterSlaves(master.id).map(\.id) == replicas.map(\.id))
        #expect(try await redis.asking())
    }
}
