/// MODULE LIST: one loaded module.
public struct RedisModule: Sendable, Hashable {
    /// The module's name (what MODULE UNLOAD takes).
    public var name: String
    /// Its version number.
    public var version: Int
    /// The file it was loaded from (Redis 7).
    public var path: String?
    /// The arguments it was loaded with (Redis 7).
    public var arguments: [String]
}

/// COMMAND DOCS: one command's documentation, as the server has it.
public struct RedisCommandDocs: Sendable, Hashable {
    /// One line on what the command does.
    public var summary: String
    /// The Redis version that added it.
    public var since: String
    /// Its command group (`string`, `sorted-set`, `server`, ...).
    public var group: String
    /// Its time complexity, when documented.
    public var complexity: String?
    /// Its subcommands' documentation, by name (`config|get`).
    public var subcommands: [String: RedisCommandDocs]
    /// Every field the server reports (`arguments`, `history`, `doc_flags`, `deprecated_since`, ...), unshaped.
    public var fields: [String: RESPValue]

    init(_ fields: [String: RESPValue]) throws {
        func text(_ name: String) throws -> String? {
            try fields[name].map { try String(fromRESP: $0, encoding: .utf8) }
        }
        summary = try text("summary") ?? ""
        since = try text("since") ?? ""
        group = try text("group") ?? ""
        complexity = try text("complexity")
        subcommands = try fields["subcommands"].map {
            try [String: [String: RESPValue]](fromRESP: $0, encoding: .utf8).mapValues(RedisCommandDocs.init)
        } ?? [:]
        self.fields = fields
    }
}

/// Which commands COMMAND LIST returns.
public enum RedisCommandListFilter: Sendable, Hashable {
    /// Those of a module (FILTERBY MODULE), of an ACL category (FILTERBY ACLCAT) or matching a glob pattern
    /// (FILTERBY PATTERN).
    case module(String), aclCategory(String), pattern(String)

    var arguments: [any RedisArgument] {
        switch self {
        case .module(let name): return ["FILTERBY", "MODULE", name]
        case .aclCategory(let category): return ["FILTERBY", "ACLCAT", category]
        case .pattern(let pattern): return ["FILTERBY", "PATTERN", pattern]
        }
    }
}

/// SHUTDOWN's choice about saving.
public enum ShutdownSave: String, Sendable, Hashable {
    /// SAVE (save even without save points) or NOSAVE (do not save even with them).
    case save = "SAVE", noSave = "NOSAVE"
}
