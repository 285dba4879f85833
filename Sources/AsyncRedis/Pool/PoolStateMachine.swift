import DequeModule

/// The pool's bookkeeping as a value: which connections exist, which are leased exclusively, who waits for one,
/// and how many are being opened. Guarded by the pool's lock; returns what to do outside it.
struct PoolStateMachine {
    typealias Waiter = CheckedContinuation<RedisConnection, any Error>

    enum Lifecycle {
        case open
        case closed
    }

    private struct Entry {
        let connection: RedisConnection
        /// Held by one caller (acquire, MULTI, blocking commands): shared `execute` skips it.
        var isLeased: Bool
    }

    let minSize: Int
    let maxSize: Int
    private(set) var lifecycle: Lifecycle = .open
    private(set) var db: Int
    private var entries: [ObjectIdentifier: Entry] = [:]
    /// Connection order for the shared path, so load spreads evenly.
    private var order: [ObjectIdentifier] = []
    private var waiters: Deque<(id: UInt64, continuation: Waiter)> = []
    private(set) var opening = 0
    /// The connection kept for Pub/Sub; it counts in `size` and is never handed out.
    private(set) var pubsubConnection: RedisConnection?

    init(minSize: Int, maxSize: Int, db: Int) {
        self.minSize = minSize
        self.maxSize = maxSize
        self.db = db
    }

    var isClosed: Bool { lifecycle == .closed }
    var size: Int { entries.count }
    var freeSize: Int { entries.values.count { !$0.isLeased } }
    var waiterCount: Int { waiters.count }
    var freeConnections: [RedisConnection] { order.compactMap { entries[$0] }.filter { !$0.isLeased }.map(\.connection) }
    var allConnections: [RedisConnection] { entries.values.map(\.connection) }
    private var canOpen: Bool { entries.count + opening < maxSize }

    enum SharedChoice {
        case use(RedisConnection, openAnother: Bool)
        case openAndWait
        case wait
        case closed
    }

    /// A connection for one pipelined command: the least loaded free one. Opens another in the background when
    /// every free one is already busy and the pool may grow.
    mutating func chooseShared() -> SharedChoice {
        guard lifecycle == .open else { return .closed }
        var best: RedisConnection?
        var bestLoad = Int.max
        for id in order {
            // A connection closing right now is skipped; its close callback removes it in a moment.
            guard let entry = entries[id], !entry.isLeased, !entry.connection.isClosed else { continue }
            let load = entry.connection.pendingCount
            if load < bestLoad {
                best = entry.connection
                bestLoad = load
                if load == 0 { break }
            }
        }
        if let best {
            let grow = bestLoad > 0 && canOpen
            if grow { opening += 1 }
            return .use(best, openAnother: grow)
        }
        if canOpen {
            opening += 1
            return .openAndWait
        }
        return .wait
    }

    enum AcquireChoice {
        case use(RedisConnection)
        case openAndWait
        case wait
        case closed
    }

    /// A connection leased exclusively: an idle free one if any, else any free one, else a new one, else wait.
    mutating func acquire() -> AcquireChoice {
        guard lifecycle == .open else { return .closed }
        if let connection = leaseFree() { return .use(connection) }
        if canOpen {
            opening += 1
            return .openAndWait
        }
        return .wait
    }

    private mutating func leaseFree() -> RedisConnection? {
        let free = order.filter { entries[$0].map { !$0.isLeased && !$0.connection.isClosed } ?? false }
        guard let id = free.first(where: { entries[$0]!.connection.pendingCount == 0 }) ?? free.first else {
            return nil
        }
        entries[id]!.isLeased = true
        return entries[id]!.connection
    }

    /// The free connection `getConnection()` returns, without leasing it.
    func peekFree() -> RedisConnection? {
        guard lifecycle == .open else { return nil }
        return order.lazy.compactMap { entries[$0] }.first { !$0.isLeased && !$0.connection.isClosed }?.connection
    }

    enum Registration {
        /// A connection became free meanwhile: it is leased to the caller at once.
        case leased(RedisConnection)
        /// Queued; `noConnections` when none is alive (the server may be down), so the wait must be bounded.
        case waiting(noConnections: Bool)
        case closed
    }

    /// Queues a caller for the next connection released or opened, unless one is free by now.
    mutating func registerWaiter(_ continuation: Waiter, id: UInt64) -> Registration {
        guard lifecycle == .open else { return .closed }
        if let connection = leaseFree() { return .leased(connection) }
        waiters.append((id, continuation))
        return .waiting(noConnections: entries.isEmpty)
    }

    mutating func removeWaiter(id: UInt64) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).continuation
    }

    enum Handoff {
        /// Give the connection, leased, to this waiter.
        case resume(Waiter, RedisConnection)
        /// Close it: the pool is closed, or it is unfit for reuse.
        case close(RedisConnection)
        case none
    }

    /// A connection finished opening.
    mutating func opened(_ connection: RedisConnection) -> Handoff {
        opening -= 1
        guard lifecycle == .open, !connection.isClosed else { return .close(connection) }
        let id = ObjectIdentifier(connection)
        if let waiter = waiters.popFirst() {
            entries[id] = Entry(connection: connection, isLeased: true)
            order.append(id)
            return .resume(waiter.continuation, connection)
        }
        entries[id] = Entry(connection: connection, isLeased: false)
        order.append(id)
        return .none
    }

    /// Opening failed: when no connection is left at all, every waiter fails (the server is unreachable);
    /// otherwise the first waiter does and the others keep waiting for releases.
    mutating func openFailed() -> [Waiter] {
        opening -= 1
        if entries.isEmpty {
            defer { waiters.removeAll() }
            return waiters.map(\.continuation)
        }
        return waiters.popFirst().map { [$0.continuation] } ?? []
    }

    /// A leased connection comes back. One that is closed, on another db, inside MULTI, subscribed, or still
    /// owing a reply to a cancelled caller (a blocking command abandoned mid-wait) is dropped.
    mutating func release(_ connection: RedisConnection) -> Handoff {
        let id = ObjectIdentifier(connection)
        guard entries[id] != nil else { return .none }
        let unfit =
            connection.isClosed || connection.db != db || connection.inTransaction || connection.inPubSub > 0
            || connection.hasAbandonedReplies
        if lifecycle == .closed || unfit {
            remove(id)
            return .close(connection)
        }
        if let waiter = waiters.popFirst() {
            return .resume(waiter.continuation, connection)
        }
        entries[id]!.isLeased = false
        return .none
    }

    /// A connection closed (server gone, killed): forget it. True when the pool should refill.
    mutating func connectionClosed(_ connection: RedisConnection) -> Bool {
        let id = ObjectIdentifier(connection)
        if pubsubConnection === connection { pubsubConnection = nil }
        guard entries[id] != nil else { return false }
        remove(id)
        return lifecycle == .open && entries.count + opening < minSize
    }

    private mutating func remove(_ id: ObjectIdentifier) {
        entries[id] = nil
        order.removeAll { $0 == id }
    }

    /// How many connections refilling should open now.
    mutating func reserveRefill() -> Int {
        guard lifecycle == .open else { return 0 }
        let missing = max(0, minSize - entries.count - opening)
        opening += missing
        return missing
    }

    mutating func setDB(_ newDB: Int) { db = newDB }

    /// Leases every free connection (for `select` and `clear`).
    mutating func leaseAllFree() -> [RedisConnection] {
        var leased: [RedisConnection] = []
        for id in order where entries[id]?.isLeased == false {
            entries[id]!.isLeased = true
            leased.append(entries[id]!.connection)
        }
        return leased
    }

    /// Removes free connections (for `clear`); returns them to be closed.
    mutating func removeFree() -> [RedisConnection] {
        let free = order.filter { entries[$0]?.isLeased == false }
        return free.compactMap { id in
            defer { remove(id) }
            return entries[id]?.connection
        }
    }

    /// Records the connection dedicated to Pub/Sub (taken from the leased ones: it stays leased).
    mutating func dedicateToPubSub(_ connection: RedisConnection) {
        pubsubConnection = connection
    }

    mutating func close() -> (waiters: [Waiter], connections: [RedisConnection]) {
        lifecycle = .closed
        let toFail = waiters.map(\.continuation)
        waiters.removeAll()
        let connections = entries.values.map(\.connection)
        entries.removeAll()
        order.removeAll()
        pubsubConnection = nil
        return (toFail, connections)
    }
}
