// TEMPORARY: stands in for issue-15's generated command table until that branch is merged; same signature.
// The first argument is the key, except for the keyless commands and the few key layouts listed here.
enum RedisCommandTable {
    /// Indices into `arguments` (0 = first argument after the command name) of the keys; [] keyless; nil unknown.
    static func keyIndices(command: String, arguments: [any RedisArgument]) -> [Int]? {
        let name = command.uppercased()
        let count = arguments.count
        if keyless.contains(name) { return [] }
        if allKeys.contains(name) { return Array(0..<count) }
        switch name {
        case "MSET", "MSETNX":
            return Array(stride(from: 0, to: count, by: 2))
        case "BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX":
            return Array(0..<max(count - 1, 0))
        case "SMOVE", "RPOPLPUSH", "LMOVE", "BLMOVE", "BRPOPLPUSH", "COPY", "RENAME", "RENAMENX", "GEOSEARCHSTORE":
            return Array(0..<min(2, count))
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            return counted(arguments, countAt: 1)
        case "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE":
            return count > 0 ? [0] + (counted(arguments, countAt: 1) ?? []) : []
        case "ZUNION", "ZINTER", "ZDIFF", "SINTERCARD", "ZINTERCARD", "LMPOP", "ZMPOP":
            return counted(arguments, countAt: 0)
        case "XREAD", "XREADGROUP":
            guard let streams = arguments.firstIndex(where: { ClusterArgumentBytes.text(of: $0).uppercased() == "STREAMS" })
            else { return nil }
            let keyCount = (count - streams - 1) / 2
            return Array((streams + 1)..<(streams + 1 + keyCount))
        default:
            return count > 0 ? [0] : []
        }
    }

    /// The keys after a count at `index`.
    private static func counted(_ arguments: [any RedisArgument], countAt index: Int) -> [Int]? {
        guard index < arguments.count, let keys = ClusterArgumentBytes.integer(of: arguments[index]), keys >= 0,
            index + keys < arguments.count
        else { return nil }
        return Array((index + 1)..<(index + 1 + keys))
    }

    private static let allKeys: Set<String> = [
        "MGET", "DEL", "UNLINK", "EXISTS", "TOUCH", "WATCH", "SINTER", "SUNION", "SDIFF", "SINTERSTORE",
        "SUNIONSTORE", "SDIFFSTORE", "PFCOUNT", "PFMERGE",
    ]

    private static let keyless: Set<String> = [
        "PING", "ECHO", "INFO", "DBSIZE", "KEYS", "SCAN", "FLUSHALL", "FLUSHDB", "SCRIPT", "FUNCTION", "RANDOMKEY",
        "TIME", "CLUSTER", "CONFIG", "CLIENT", "MULTI", "EXEC", "DISCARD", "UNWATCH", "PUBLISH", "SPUBLISH",
        "READONLY", "READWRITE", "ASKING", "COMMAND", "SELECT", "AUTH", "HELLO", "ROLE", "LASTSAVE", "SAVE",
        "BGSAVE", "BGREWRITEAOF", "DEBUG", "MEMORY", "SLOWLOG", "LATENCY", "ACL", "WAIT", "QUIT", "RESET",
        "SUBSCRIBE", "PSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE", "PUBSUB", "SWAPDB",
        "MONITOR", "LOLWUT", "SHUTDOWN", "REPLICAOF", "SLAVEOF", "FAILOVER", "MODULE",
    ]
}
