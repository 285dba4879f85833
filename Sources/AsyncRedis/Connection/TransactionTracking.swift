/// Whether a connection is inside MULTI or after WATCH, tracked as commands are written (like aioredis), not as
/// they are answered.
struct TransactionTracking {
    private(set) var inTransaction = false
    /// True after WATCH until EXEC, DISCARD, UNWATCH or RESET.
    private(set) var isWatching = false

    /// MULTI opens a transaction, EXEC and DISCARD close it and end a WATCH too.
    mutating func written(_ role: RedisCommandTraits.ConnectionRole) {
        switch role {
        case .multi: inTransaction = true
        case .exec, .discard, .reset:
            inTransaction = false
            isWatching = false
        case .watch: isWatching = true
        case .unwatch: isWatching = false
        case .subscribe, .ping, .quit, .other: break
        }
    }
}
