import Foundation
import Testing

@testable import AsyncRedis

@Suite("Commands: server")
struct CommandsServerTests {
    @Test("info is parsed into lowercased sections; one section on request")
    func info() async throws {
        try await withRedis { redis in
            let all = try await redis.info()
            #expect(all["server"]?["redis_version"]?.isEmpty == false)
            #expect(Int(all["server"]?["tcp_port"] ?? "") == (try TestServers.port()))
            #expect(all["clients"]?["connected_clients"] != nil)
            let memory = try await redis.info("memory")
            #expect(memory.keys.sorted() == ["memory"])
            #expect(Int(memory["memory"]?["used_memory"] ?? "") ?? 0 > 0)
        }
    }

    @Test("INFO text parsing keeps values with colons and skips blank lines")
    func parseInfo() {
        let parsed = Redis.parseInfo("# Server\r\nredis_version:7.0.0\r\nexecutable:/a:b\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0\r\n")
        #expect(parsed == ["server": ["redis_version": "7.0.0", "executable": "/a:b"], "keyspace": ["db0": "keys=1,expires=0"]])
    }

    @Test("client setname/getname/id/info/list/kill")
    func client() async throws {
        try await withRedis { redis in
            #expect(try await redis.clientGetname() == nil)
            let name = "cmds-\(UUID().uuidString.prefix(8))"
            #expect(try await redis.clientSetname(name))
            #expect(try await redis.clientGetname() == name)
            let id = try await redis.clientId()
            #expect(id > 0)
            #expect(try await redis.clientInfo()["name"] == name)
            let me = try await redis.clientList().first { $0["id"] == String(id) }
            #expect(me?["name"] == name)
            try await withRedis { victim in
                let victimID = try await victim.clientId()
                #expect(try await redis.clientKill(id: victimID) == 1)
                await victim.waitClosed()
                #expect(victim.isClosed)
            }
            #expect(try await redis.clientKill(id: 999_999_999) == 0)
            await expectReplyError(code: "ERR") { try await redis.clientKill(address: "1.2.3.4:5") }
            await expectInvalidArgument { try await redis.clientKill() }
            #expect(try await redis.clientPause(.milliseconds(1)))
        }
    }

    @Test("command count/info/getkeys")
    func command() async throws {
        try await withRedis { redis in
            #expect(try await redis.commandCount() > 100)
            let info = try await redis.commandInfo("get", "no-such-command")
            #expect(info.count == 2 && info[0] != nil && info[1] == nil)
            #expect(try await redis.commandGetkeys("MSET", "a", "1", "b", "2") == ["a", "b"])
        }
    }

    @Test("config get returns a dictionary; set on a harmless parameter round-trips")
    func config() async throws {
        try await withRedis { redis in
            let port = try await redis.configGet("port")
            #expect(port == ["port": String(try TestServers.port())])
            #expect(try await redis.configGet("maxmemory*").keys.contains("maxmemory-policy"))
            // slowlog-max-len only limits how many slow commands are kept: harmless for other suites.
            let old = try #require(try await redis.configGet("slowlog-max-len")["slowlog-max-len"])
            #expect(try await redis.configSet("slowlog-max-len", 200))
            #expect(try await redis.configGet("slowlog-max-len") == ["slowlog-max-len": "200"])
            #expect(try await redis.configSet("slowlog-max-len", old))
            await expectReplyError(code: "ERR") { try await redis.configSet("no-such-parameter", "1") }
        }
    }

    @Test("dbsize, time, lastsave, role, memory usage, lolwut, slowlog, debug object")
    func misc() async throws {
        try await withRedis { redis in
            let key = uniqueKey()
            try await redis.set(key, "value")
            #expect(try await redis.dbsize() >= 1)
            let now = Date().timeIntervalSince1970
            #expect(abs(try await redis.time() - now) < 5)
            #expect(try await redis.lastsave() > 0)
            let role = try await redis.role()
            #expect(role.first?.string() == "master")
            #expect(try await redis.memoryUsage(key) ?? 0 > 0)
            #expect(try await redis.memoryUsage(uniqueKey()) == nil)
            #expect(try await redis.lolwut().contains("Redis ver."))
            #expect(try await redis.slowlogLen() >= 0)
            #expect(try await redis.slowlogGet(1).count <= 1)
            do {
                let object = try await redis.debugObject(key)
                #expect(object["encoding"] == TestServerFlavour.shortStringEncoding)
                #expect(object["refcount"] == "1")
                #expect(try await redis.debugSleep(.zero))
                await expectReplyError(code: "ERR") { try await redis.debugObject(uniqueKey()) }
            } catch let error as ReplyError {
                // DEBUG is refused unless enable-debug-command allows it.
                #expect(error.message.contains("DEBUG"))
            }
            try await redis.del(key)
        }
    }

}

/// FLUSHDB and SWAPDB touch whole databases: only db 14 and 15, which no other suite uses, one test at a time.
@Suite("Commands: server, whole databases", .serialized)
struct CommandsServerDatabaseTests {
    @Test("flushdb (sync and async) empties db 15")
    func flushdb() async throws {
        try await withRedis(db: 15) { redis in
            try await redis.set(uniqueKey(), "x")
            try await redis.set(uniqueKey(), "y")
            #expect(try await redis.dbsize() >= 2)
            #expect(try await redis.flushdb())
            #expect(try await redis.dbsize() == 0)
            try await redis.set(uniqueKey(), "z")
            #expect(try await redis.flushdb(async: true))
            #expect(try await redis.dbsize() == 0)
        }
    }

    @Test("swapdb exchanges db 14 and 15")
    func swapdb() async throws {
        try await withRedis(db: 14) { redis in
            let key = uniqueKey()
            try await redis.set(key, "from-14")
            #expect(try await redis.swapdb(14, 15))
            #expect(try await redis.get(key) == nil)
            try await redis.select(15)
            #expect(try await redis.get(key) == "from-14")
            #expect(try await redis.swapdb(14, 15))
            try await redis.select(14)
            #expect(try await redis.get(key) == "from-14")
            try await redis.del(key)
        }
    }
}
