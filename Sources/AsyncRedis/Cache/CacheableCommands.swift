import NIOCore

/// Which commands the cache serves and which ones invalidate it, read from the command table rather than listed
/// per method: a read is cached when its reply is a pure function of one key.
enum CacheableCommands {
    /// What sending a command means to the cache.
    enum Role: Sendable {
        /// A read whose reply may be cached: readonly, not blocking, deterministic, every key position known;
        /// still only when the arguments name exactly one key.
        case cacheableRead
        /// Changes nothing the cache holds (other reads, connection and server commands without keys).
        case neutral
        /// May change the keys it names.
        case write
        /// May change keys that cannot be named: the whole cache is invalid (FLUSHDB, a module's command).
        case writeAnything
    }

    /// The role of `command` (any case), looked up without allocating: this runs for every call of a cached client.
    static func role(_ command: String) -> Role {
        guard let entry = table.index.find(command) else { return .writeAnything }
        return table.roles[entry]
    }

    /// Commands that are readonly and deterministic but must reach the server: TOUCH is sent for its effect.
    private static let sentForEffect: Set<String> = ["touch"]

    /// Every command's role, by the entry number of its name in `index`.
    private static let table: (index: RedisCommandIndex, roles: [Role]) = {
        let specs = RedisCommandTable.allSpecs
        return (RedisCommandIndex(lowercaseNames: specs.map(\.name)), specs.map(role(of:)))
    }()

    private static func role(of spec: RedisCommandSpec) -> Role {
        if spec.hasFlag("readonly") {
            let cacheable =
                spec.subcommands.isEmpty && !spec.hasFlag("blocking") && !spec.hasFlag("movablekeys")
                && !spec.hasFlag("noscript") && !spec.tips.contains("nondeterministic_output")
                && !spec.keySpecs.isEmpty && !sentForEffect.contains(spec.name)
                && spec.keySpecs.allSatisfy { $0.beginSearch != .unknown && $0.findKeys != .unknown }
            return cacheable ? .cacheableRead : .neutral
        }
        // Scripts and functions are not flagged `write` but may write the keys they declare.
        if spec.hasFlag("write") || spec.hasFlag("noscript") && !spec.keySpecs.isEmpty {
            return spec.keySpecs.isEmpty ? .writeAnything : .write
        }
        // A container (CLIENT, CONFIG, OBJECT, ...): its subcommands decide; none of the writing ones is cacheable.
        if spec.subcommands.values.contains(where: { $0.hasFlag("write") }) { return .write }
        return .neutral
    }

    /// The keys `arguments` name for `command`, as bytes; `nil` when the table cannot say.
    static func keys(_ command: String, _ arguments: [any RedisArgument]) -> [ByteBuffer]? {
        guard let indices = RedisCommandTable.keyIndices(command: command, arguments: arguments) else { return nil }
        return indices.map { ByteBuffer(bytes: RedisArgumentPayload.bytes(of: arguments[$0])) }
    }

    /// The cache key of a call: the name, then each argument as the bulk string it is sent as (length-prefixed,
    /// so distinct argument lists never collide). Name case is folded: `get` and `GET` share entries.
    static func cacheKey(_ command: String, _ arguments: [any RedisArgument]) -> ByteBuffer {
        var key = ByteBuffer()
        key.reserveCapacity(command.utf8.count + 16 * max(arguments.count, 1))
        writeCacheKey(command, arguments, into: &key)
        return key
    }

    /// Appends the cache key of a call to `key` (a lookup reuses one buffer rather than allocating a key).
    static func writeCacheKey(_ command: String, _ arguments: [any RedisArgument], into key: inout ByteBuffer) {
        for byte in command.utf8 { key.writeInteger(RedisCommandIndex.fold(byte)) }
        for argument in arguments { argument.writeRESPBulk(into: &key) }
    }
}
