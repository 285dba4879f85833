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
        /// Shared commands chosen for this connection and not yet queued on it. While any is, the connection is not
        /// leased: a lessee's blocking command (XREAD BLOCK) queued first would hold them up.
        var sharedReservations = 0
        /// The `credentialsGeneration` this connection authenticated under.
        var credentialsGeneration: Int

        var isFree: Bool { !isLeased && sharedReservations == 0 && !connection.isClosed }
    }

    let minSize: Int
    let maxSize: Int
    /// The most connections shared commands are spread over (the first free ones); more open only for leases.
    /// Fewer connections carry more commands per write: a cluster's node pools use 1 (see `RedisCluster`).
    let sharedSpread: Int
    private(set) var lifecycle: Lifecycle = .open
    private(set) var db: Int
    /// In the order they opened, so the shared path spreads load evenly. An array rather than a dictionary: a pool
    /// holds a handful of connections, and the shared path reads every entry for every command, which a dictionary
    /// would hash and copy (retaining the connection) each time.
    private var entries: [Entry] = []
    private var waiters: Deque<(id: UInt64, continuation: Waiter)> = []
    private(set) var opening = 0
    /// The connection kept for Pub/Sub; it counts in `size` and is never handed out.
    private(set) var pubsubConnection: RedisConnection?
    /// The credentials `auth` set last (`nil`: the configuration's), used for connections opened from now on.
    private(set) var credentials: Credentials?
    /// Bumped by every `auth`: a connection authenticated under an older one is dropped when released.
    private(set) var credentialsGeneration = 0

    struct Credentials: Sendable {
        var username: String?
        var password: String
    }

    init(minSize: Int, maxSize: Int, db: Int, sharedSpread: Int = .max) {
        self.minSize = minSize
        self.maxSize = maxSize
        self.db = db
        self.sharedSpread = max(1, sharedSpread)
    }

    var isClosed: Bool { lifecycle == .closed }
    var size: Int { entries.count }
    var freeSize: Int { entries.count { !$0.isLeased } }
    var waiterCount: Int { waiters.count }
    var freeConnections: [RedisConnection] { entries.filter { !$0.isLeased }.map(\.connection) }
    var allConnections: [RedisConnection] { entries.map(\.connection) }
    private var canOpen: Bool { entries.count + opening < maxSize }

    enum SharedChoice {
        case use(RedisConnection, openAnother: Bool)
        case openAndWait
        case wait
        case closed
    }

    /// A connection for one pipelined command: the least loaded of the first `sharedSpread` free ones. Opens
    /// another in the background when every free one is already busy and the pool may grow (up to `sharedSpread`).
    ///
    /// The connection chosen is reserved until the pool reports the command queued on it (`sharedQueued`), so that
    /// choosing and queueing act as one step for `acquire`.
    mutating func chooseShared() -> SharedChoice {
        guard lifecycle == .open else { return .closed }
        var best: Int?
        var bestLoad = Int.max
        var candidates = 0
        for index in entries.indices where candidates < sharedSpread {
            // A connection closing right now is skipped; its close callback removes it in a moment.
            guard !entries[index].isLeased, !entries[index].connection.isClosed else { continue }
            candidates += 1
            let load = entries[index].connection.pendingCount + entries[index].sharedReservations
            if load < bestLoad {
                best = index
                bestLoad = load
                if load == 0 { break }
            }
        }
        if let best {
            let grow = bestLoad > 0 && canOpen && candidates < sharedSpread
            if grow { opening += 1 }
            entries[best].sharedReservations += 1
            return .use(entries[best].connection, openAnother: grow)
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
        // With shared commands kept on few connections, a lease opens a new connection before it takes a busy one:
        // leasing the one that carries them would send them to connections opened for waiters, one at a time.
        if let connection = leaseFree(busyToo: sharedSpread == .max || !canOpen) { return .use(connection) }
        if canOpen {
            opening += 1
            return .openAndWait
        }
        return .wait
    }

    /// A shared command chosen by `chooseShared` is now queued on `connection`: the reservation ends, and a caller
    /// that waited for a connection because every free one was reserved gets this one.
    mutating func sharedQueued(on connection: RedisConnection) -> Handoff {
        guard let index = index(of: connection) else { return .none }
        entries[index].sharedReservations -= 1
        guard lifecycle == .open, entries[index].isFree, let waiter = waiters.popFirst() else { return .none }
        entries[index].isLeased = true
        return .resume(waiter.continuation, connection)
    }

    private mutating func leaseFree(busyToo: Bool = true) -> RedisConnection? {
        let free = entries.indices.filter { entries[$0].isFree }
        guard let index = free.first(where: { entries[$0].connection.pendingCount == 0 }) ?? (busyToo ? free.first : nil)
        else {
            return nil
        }
        entries[index].isLeased = true
        return entries[index].connection
    }

    private func index(of connection: RedisConnection) -> Int? {
        entries.firstIndex { $0.connection === connection }
    }

    /// The free connection `getConnection()` returns, without leasing it.
    func peekFree() -> RedisConnection? {
        guard lifecycle == .open else { return nil }
        return entries.first { !$0.isLeased && !$0.connection.isClosed }?.connection
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
    mutating func opened(_ connection: RedisConnection, credentialsGeneration: Int) -> Handoff {
        opening -= 1
        guard lifecycle == .open, !connection.isClosed else { return .close(connection) }
        let waiter = waiters.popFirst()
        entries.append(
            Entry(connection: connection, isLeased: waiter != nil, credentialsGeneration: credentialsGeneration))
        return waiter.map { .resume($0.continuation, connection) } ?? .none
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

    /// A leased connection comes back. One authenticated before the last `auth`, closed, on another db, inside
    /// MULTI, WATCHing (a later MULTI/EXEC on it would fail for keys its last user watched), subscribed, or still
    /// owing a reply to a cancelled caller (a blocking command abandoned mid-wait) is dropped.
    mutating func release(_ connection: RedisConnection) -> Handoff {
        // The Pub/Sub connection (handed out by `acquire(command:)`) stays dedicated.
        guard let index = index(of: connection), connection !== pubsubConnection else { return .none }
        let entry = entries[index]
        let unfit =
            entry.credentialsGeneration != credentialsGeneration || connection.isClosed || connection.db != db
            || connection.inTransaction || connection.isWatching || connection.inPubSub > 0
            || connection.hasAbandonedReplies
        if lifecycle == .closed || unfit {
            entries.remove(at: index)
            return .close(connection)
        }
        if let waiter = waiters.popFirst() {
            return .resume(waiter.continuation, connection)
        }
        entries[index].isLeased = false
        return .none
    }

    /// A connection closed (server gone, killed): forget it. True when the pool should refill.
    mutating func connectionClosed(_ connection: RedisConnection) -> Bool {
        if pubsubConnection === connection { pubsubConnection = nil }
        guard let index = index(of: connection) else { return false }
        entries.remove(at: index)
        return lifecycle == .open && entries.count + opening < minSize
    }

    /// How many connections refilling should open now.
    mutating func reserveRefill() -> Int {
        guard lifecycle == .open else { return 0 }
        let missing = max(0, minSize - entries.count - opening)
        opening += missing
        return missing
    }

    mutating func setDB(_ newDB: Int) { db = newDB }

    /// Adopts new credentials (already accepted by the server on `authenticated`); returns their generation.
    mutating func setCredentials(_ newCredentials: Credentials, authenticated: RedisConnection) -> Int {
        credentials = newCredentials
        credentialsGeneration += 1
        markAuthenticated(authenticated, generation: credentialsGeneration)
        return credentialsGeneration
    }

    mutating func markAuthenticated(_ connection: RedisConnection, generation: Int) {
        guard let index = index(of: connection) else { return }
        entries[index].credentialsGeneration = generation
    }

    /// Leases every free connection (for `select` and `clear`).
    mutating func leaseAllFree() -> [RedisConnection] {
        var leased: [RedisConnection] = []
        for index in entries.indices where !entries[index].isLeased {
            entries[index].isLeased = true
            leased.append(entries[index].connection)
        }
        return leased
    }

    /// Removes free connections (for `clear`); returns them to be closed.
    mutating func removeFree() -> [RedisConnection] {
        defer { entries.removeAll { !$0.isLeased } }
        return entries.filter { !$0.isLeased }.map(\.connection)
    }

    /// The Pub/Sub connection if it is open, else a free connection, leased and dedicated to Pub/Sub.
    mutating func pubSubConnectionOrDedicateFree() -> RedisConnection? {
        if let pubsubConnection, !pubsubConnection.isClosed { return pubsubConnection }
        guard lifecycle == .open, let connection = leaseFree() else { return nil }
        pubsubConnection = connection
        return connection
    }

    /// Records the connection dedicated to Pub/Sub (taken from the leased ones: it stays leased).
    mutating func dedicateToPubSub(_ connection: RedisConnection) {
        pubsubConnection = connection
    }

    mutating func close() -> (waiters: [Waiter], connections: [RedisConnection]) {
        lifecycle = .closed
        let toFail = waiters.map(\.continuation)
        waiters.removeAll()
        let connections = entries.map(\.connection)
        entries.removeAll()
        pubsubConnection = nil
        return (toFail, connections)
    }
}
