/// Which server a command table was generated from.
struct RedisCommandTableSource: Sendable, Equatable {
    /// `Redis` or `Valkey`.
    let server: String
    /// e.g. `7.0.15`.
    let version: String
}

/// Everything the library knows about Redis's commands, from the table generated from the server's own
/// `COMMAND INFO` and `COMMAND DOCS` (`Generated/RedisCommandTableData.swift`, written by
/// `scripts/generate-commands.sh`).
enum RedisCommandTable {
    /// The decoded table, built on first use.
    private struct Decoded: Sendable {
        let specs: [RedisCommandSpec]
        let traits: [RedisCommandTraits]
        let index: RedisCommandIndex

        init(_ text: String) {
            specs = RedisCommandTableDecoding.decode(text)
            traits = specs.map(RedisCommandTraits.init)
            index = RedisCommandIndex(lowercaseNames: specs.map(\.name))
        }
    }

    private static let decoded = Decoded(encodedTable)

    /// Every top-level command's spec, sorted by name.
    static var allSpecs: [RedisCommandSpec] { decoded.specs }

    /// How the library treats `command` (any ASCII case); `.unknown` for a command the table lacks. Allocates
    /// nothing: it runs for every command sent.
    static func traits(_ command: String) -> RedisCommandTraits {
        guard let entry = decoded.index.find(command) else { return .unknown }
        return decoded.traits[entry]
    }

    /// The spec of `command` (any ASCII case), without looking at subcommands; `nil` when unknown.
    static func spec(_ command: String) -> RedisCommandSpec? {
        decoded.index.find(command).map { decoded.specs[$0] }
    }

    /// The spec of the command `command arguments...` runs: for a container command such as XINFO or OBJECT,
    /// the subcommand named by `arguments[0]`. `nil` when the command, or the subcommand, is unknown (a container
    /// sent without a subcommand gives the container's own spec).
    static func spec(command: String, arguments: [any RedisArgument]) -> RedisCommandSpec? {
        guard let spec = spec(command) else { return nil }
        guard !spec.subcommands.isEmpty, let first = arguments.first else { return spec }
        let name = String(decoding: RedisArgumentPayload.bytes(of: first).map(RedisCommandIndex.fold), as: UTF8.self)
        return spec.subcommands[name]
    }

    /// Indices into `arguments` (0 = first argument after the command name; for a container command like
    /// XINFO the subcommand is arguments[0]) of the keys this command names, in the order the server's
    /// `COMMAND GETKEYS` gives them; [] for keyless commands (and for arguments the server would reject);
    /// nil when the command is unknown to the table.
    static func keyIndices(command: String, arguments: [any RedisArgument]) -> [Int]? {
        guard let spec = spec(command: command, arguments: arguments) else { return nil }
        return RedisKeyPositions(spec: spec, arguments: arguments).argumentIndices()
    }
}
