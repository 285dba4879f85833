import Testing

@testable import AsyncRedis

/// The committed command table (Commands/Generated/) against the running server's COMMAND INFO and COMMAND DOCS.
///
/// Against the server line the table was generated from (Redis 7.0, the default CI server), every field of every
/// command and subcommand must agree, so a table edited by hand or left behind by a server upgrade fails here:
/// `bash scripts/generate-commands.sh` rewrites it. Against another server of the matrix (Redis 6.2, Valkey
/// 8.1), commands differ legitimately (added, re-documented, re-flagged), so only where the keys are is checked
/// for the commands both know: the legacy key range and, where the server has them, the key specs' positions.
@Suite("Command table drift", .serialized)
struct CommandTableDriftTests {
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
            // A patch release may fix a command's spec too, so the whole table is compared on the same minor line
            // (a Debian update from 7.0.15 to 7.0.16 that changes a command fails here: regenerate).
            let generated = RedisCommandTable.generatedFrom
            let sameLine =
                generated.server == (isValkey ? "Valkey" : "Redis")
                && generated.version.split(separator: ".").prefix(2) == version.split(separator: ".").prefix(2)
            #expect(sameLine || TestServerFlavour.name != "redis", "the default server is \(version)")
            if sameLine {
                #expect(Set(server.keys) == Set(table.keys), "commands added or removed")
                for (name, spec) in server.sorted(by: { $0.key < $1.key }) {
                    #expect(table[name] == spec, "\(name) differs: run scripts/generate-commands.sh")
                }
                return
            }
            // Another version: the commands both know agree on where their keys are. Flags are not compared:
            // servers re-flag commands between versions (Redis 6.2 has no `blocking` flag; Valkey 8.1 flags more
            // commands), and neither are key access flags (RW or OW), which do not move keys.
            var compared = 0
            for (name, serverSpec) in server {
                guard let tableSpec = table[name] else { continue }
                for (ours, theirs) in [(tableSpec, serverSpec)] + Self.commonSubcommands(tableSpec, serverSpec) {
                    // Redis 6.2 lists XINFO, OBJECT, MEMORY... as plain commands with the subcommand's key range.
                    guard ours.subcommands.isEmpty == theirs.subcommands.isEmpty else { continue }
                    compared += 1
                    #expect(ours.legacyKeyRange == theirs.legacyKeyRange, "\(ours.name): key range")
                    if !theirs.keySpecs.isEmpty {
                        #expect(
                            ours.keySpecs.map(Self.whereKeysAre) == theirs.keySpecs.map(Self.whereKeysAre),
                            "\(ours.name): key specs")
                    }
                }
            }
            #expect(compared > 150, "too few commands in common with \(version) to compare")
        }
    }

    private static func whereKeysAre(_ spec: RedisKeySpec) -> String {
        "\(spec.beginSearch) \(spec.findKeys) \(spec.flags.contains("not_key"))"
    }

    private static func commonSubcommands(
        _ ours: RedisCommandSpec, _ theirs: RedisCommandSpec
    ) -> [(RedisCommandSpec, RedisCommandSpec)] {
        ours.subcommands.compactMap { name, spec in theirs.subcommands[name].map { (spec, $0) } }
    }
}
