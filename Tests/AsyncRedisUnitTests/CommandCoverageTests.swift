import Testing

@testable import AsyncRedis

/// Every command of the command table (Redis 7.0's COMMAND LIST) has a `Redis` method, or is on one of the two short
/// documented lists (`RedisCommandCoverage.excluded`, `.mappedElsewhere`).
@Suite("Command coverage: a Redis method for every command of the table")
struct CommandCoverageTests {
    static let tableNames = RedisCommandCoverage.tableNames

    @Test("no command of the table lacks a method")
    func everyCommandHasAMethod() {
        #expect(RedisCommandCoverage.missing(from: Self.tableNames) == [])
    }

    @Test("the method index names only commands of the table, each with at least one method")
    func indexNamesKnownCommands() {
        let known = Set(Self.tableNames)
        #expect(known.contains("acl|cat") && known.count > 350)
        #expect(RedisCommandCoverage.methods.keys.filter { !known.contains($0) }.sorted() == [])
        #expect(RedisCommandCoverage.methods.values.allSatisfy { !$0.isEmpty })
    }

    @Test("the excluded and mapped commands are commands of the table that have no method of their own")
    func documentedListsAreTrue() {
        let known = Set(Self.tableNames)
        let listed = Array(RedisCommandCoverage.excluded.keys) + Array(RedisCommandCoverage.mappedElsewhere.keys)
        for command in listed {
            #expect(known.contains(command), "\(command) is not in the command table")
            #expect(RedisCommandCoverage.methods[command] == nil, "\(command) has a method: take it off the list")
        }
        #expect(Set(RedisCommandCoverage.excluded.keys).isDisjoint(with: RedisCommandCoverage.mappedElsewhere.keys))
    }

    @Test("the APIs the mapped commands point to exist")
    func mappedAPIsExist() {
        // Compiles only while these exist: HELLO (createRedis's protocolVersion), MULTI/EXEC/DISCARD (MultiExec).
        let hello: (RedisAddress, String?, String?, Int) async throws -> Redis = {
            try await createRedis($0, username: $1, password: $2, protocolVersion: $3)
        }
        let multi: (Redis) -> () -> MultiExec = Redis.multiExec
        let exec: (MultiExec) -> () async throws -> [RESPValue] = MultiExec.execute
        _ = (hello, multi, exec)
    }
}
