import Testing

@testable import AsyncRedis

/// The committed command table (Commands/Generated/) against the running server's COMMAND INFO and COMMAND DOCS.
///
/// Against the server version the table was generated from (the default CI server), every field of every
/// command and subcommand must agree, so a table edited by hand or left behind by a server upgrade fails here:
/// `bash scripts/generate-commands.sh` rewrites it. Against another server of the matrix (Redis 6.2, Valkey
/// 8.1), commands differ legitimately (added, re-documented, re-flagged), so only what the library relies on
/// for the commands both know is checked: the legacy key range, the flags behind its classification, and, where
/// the server has them, the key specs.
@Suite("Command table drift", .serialized)
struct CommandTableDriftTests {
    private static let behaviourFlags: Set<String> = ["readonly", "blocking", "pubsub"]

    @Test("the table matches the server it was generated from, or agrees on what the library uses")
    func tableMatchesServer() async throws {
        try await withConnection { connection in
            let info = try await connection.execute("INFO", "server", as: String.self)
            let isValkey = info.contains("valkey_version:")
            let version = info.split(whereSeparator: \.isNewline)
                .first { $0.hasPrefix(isValkey ? "valkey_version:" : "redis_version:") }
                .map { String($0.split(separator: ":")[1]) } ?? ""
            let server = try await ServerCommandSpecs.read(connection)
            let table = Dictionary(uniqueKeysWithValues: RedisCommandTable.allSpecs.map { ($0.name, $0) })
            let sameServer = RedisCommandTable.generatedFrom == RedisCommandTableSource(
                server: isValkey ? "Valkey" : "Redis", version: version)
            if sameServer {
                #expect(Set(server.keys) == Set(table.keys), "commands added or removed")
                for (name, spec) in server.sorted(by: { $0.key < $1.key }) {
                    #expect(table[name] == spec, "\(name) differs: run scripts/generate-commands.sh")
                }
                return
            }
            // Another version: the commands both know agree on what routes and classifies them.
            var compared = 0
            for (name, serverSpec) in server {
                guard let tableSpec = table[name] else { continue }
                for (ours, theirs) in [(tableSpec, serverSpec)] + Self.commonSubcommands(tableSpec, serverSpec) {
                    compared += 1
                    #expect(ours.legacyKeyRange == theirs.legacyKeyRange, "\(ours.name): key range")
                    #expect(
                        ours.flags.intersection(Self.behaviourFlags) == theirs.flags.intersection(Self.behaviourFlags),
                        "\(ours.name): flags")
                    if !theirs.keySpecs.isEmpty {
                        #expect(ours.keySpecs == theirs.keySpecs, "\(ours.name): key specs")
                    }
                }
            }
            #expect(compared > 150, "too few commands in common with \(version) to compare")
        }
    }

    private static func commonSubcommands(
        _ ours: RedisCommandSpec, _ theirs: RedisCommandSpec
    ) -> [(RedisCommandSpec, RedisCommandSpec)] {
        ours.subcommands.compactMap { name, spec in theirs.subcommands[name].map { (spec, $0) } }
    }
}
