/// How the pool's state machine names a connection: it holds ids, never the connections themselves, so it can be
/// driven (and unit-tested) without sockets.
struct PoolConnectionID: Hashable, Sendable, CustomStringConvertible {
    let rawValue: UInt64

    var description: String { "#\(rawValue)" }
}

/// One connection's load as its pool read it, outside the pool's lock, just before choosing.
struct PoolConnectionLoad: Sendable {
    let id: PoolConnectionID
    /// Replies the connection still owes.
    let pendingReplies: Int
    /// False once the connection closed (its close callback may not have reached the pool yet).
    let isOpen: Bool
}

/// What a leased connection coming back reports about itself: whatever could make it unfit for the next lessee.
struct PoolReleaseCondition: Sendable {
    var isOpen = true
    var db = 0
    var inTransaction = false
    var isWatching = false
    var subscriptionCount = 0
    var hasAbandonedReplies = false
}

extension RedisConnection {
    /// The load the pool compares connections by, read under one lock.
    func poolLoad(id: PoolConnectionID) -> PoolConnectionLoad {
        state.withLockedValue { PoolConnectionLoad(id: id, pendingReplies: $0.pendingCount, isOpen: !$0.isClosed) }
    }

    /// What the pool checks when this connection is released, read under one lock.
    var poolReleaseCondition: PoolReleaseCondition {
        state.withLockedValue {
            PoolReleaseCondition(
                isOpen: !$0.isClosed, db: $0.db, inTransaction: $0.inTransaction, isWatching: $0.isWatching,
                subscriptionCount: $0.subscriptionCount, hasAbandonedReplies: $0.hasAbandonedReplies)
        }
    }
}
