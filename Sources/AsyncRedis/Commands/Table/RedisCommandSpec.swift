/// What a server's command table says about one command or subcommand (`COMMAND INFO` and `COMMAND DOCS`).
///
/// AsyncRedis ships the table of the server it was generated from (`RedisCommandTable.generatedFrom`); the specs
/// are decoded from it once, on first use.
public struct RedisCommandSpec: Sendable, Hashable {
    /// The name as Redis reports it, lowercase; a subcommand is `container|subcommand`, e.g. `xinfo|stream`.
    public let name: String
    /// Redis's arity: positive for an exact argument count, negative for a minimum; the name counts (and for a
    /// subcommand, the container's name too).
    public let arity: Int
    /// Command flags such as `readonly`, `write`, `blocking`, `pubsub`, `noscript`, `movablekeys`.
    public let flags: Set<String>
    /// ACL categories, without the `@`: `read`, `string`, `fast`, ...
    public let aclCategories: Set<String>
    /// The legacy first key, last key and step (argv positions; the name is 0).
    public let legacyKeyRange: (first: Int, last: Int, step: Int)
    /// Where the keys are, in the server's order (cluster routing and `COMMAND GETKEYS` follow these).
    public let keySpecs: [RedisKeySpec]
    /// Request and response tips, e.g. `nondeterministic_output`, `request_policy:all_shards`.
    public let tips: Set<String>
    /// The documentation group (`string`, `sorted-set`, `server`, ...).
    public let group: String
    /// The Redis version that introduced it.
    public let since: String
    /// Documentation flags, e.g. `deprecated`, `syscmd`.
    public let docFlags: Set<String>
    /// The time complexity, as the server's COMMAND DOCS states it.
    public let complexity: String
    /// One line on what the command does, from COMMAND DOCS.
    public let summary: String
    /// Subcommands by their lowercase name (`stream` for `XINFO STREAM`); empty for a plain command.
    public let subcommands: [String: RedisCommandSpec]

    /// A command's specification, field by field as COMMAND INFO and COMMAND DOCS give them.
    public init(
        name: String, arity: Int, flags: Set<String>, aclCategories: Set<String>,
        legacyKeyRange: (first: Int, last: Int, step: Int), keySpecs: [RedisKeySpec], tips: Set<String>,
        group: String, since: String, docFlags: Set<String>, complexity: String, summary: String,
        subcommands: [String: RedisCommandSpec]
    ) {
        self.name = name
        self.arity = arity
        self.flags = flags
        self.aclCategories = aclCategories
        self.legacyKeyRange = legacyKeyRange
        self.keySpecs = keySpecs
        self.tips = tips
        self.group = group
        self.since = since
        self.docFlags = docFlags
        self.complexity = complexity
        self.summary = summary
        self.subcommands = subcommands
    }

    /// Whether COMMAND INFO lists `flag` (lowercase, e.g. "readonly") for the command.
    public func hasFlag(_ flag: String) -> Bool { flags.contains(flag) }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.arity == rhs.arity && lhs.flags == rhs.flags
            && lhs.aclCategories == rhs.aclCategories && lhs.legacyKeyRange == rhs.legacyKeyRange
            && lhs.keySpecs == rhs.keySpecs && lhs.tips == rhs.tips && lhs.group == rhs.group
            && lhs.since == rhs.since && lhs.docFlags == rhs.docFlags && lhs.complexity == rhs.complexity
            && lhs.summary == rhs.summary && lhs.subcommands == rhs.subcommands
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(arity)
    }
}

/// One key specification: how to find a group of keys in a command's arguments (Redis 7 key specs).
public struct RedisKeySpec: Sendable, Hashable {
    /// Where the search starts.
    public enum BeginSearch: Sendable, Hashable {
        /// At this argv position (the command's name is 0).
        case index(Int)
        /// After `keyword`, searched from argv position `startFrom` (negative: from the end, backwards).
        case keyword(String, startFrom: Int)
        /// Only the command's own parsing knows.
        case unknown
    }

    /// Which arguments from there on are keys.
    public enum FindKeys: Sendable, Hashable {
        /// Keys from the start up to `lastKey` (relative; negative counts from the end, and with a `limit` of n
        /// only the first 1/n of the remaining arguments), every `step`.
        case range(lastKey: Int, step: Int, limit: Int)
        /// The argument at `keyNumIndex` (relative) says how many keys follow, starting at `firstKey`.
        case keyNum(keyNumIndex: Int, firstKey: Int, step: Int)
        /// Only the command's own parsing knows.
        case unknown
    }

    /// Access flags: `RO`, `RW`, `OW`, `RM`, `access`, `update`, `insert`, `delete`, `not_key`, `incomplete`,
    /// `variable_flags`.
    public let flags: Set<String>
    /// Where the search for the keys starts (an argument index, or after a keyword).
    public let beginSearch: BeginSearch
    /// How many keys follow from there (a range, or a count read from an argument).
    public let findKeys: FindKeys

    /// A key specification as COMMAND INFO gives it.
    public init(flags: Set<String>, beginSearch: BeginSearch, findKeys: FindKeys) {
        self.flags = flags
        self.beginSearch = beginSearch
        self.findKeys = findKeys
    }
}
