import DequeModule

/// The pool's bookkeeping as a value: which connections exist (by id), which are leased exclusively, who waits for
/// one, and how many are being opened. Guarded by the pool's lock; returns what to do outside it.
///
/// It holds no connection and reads none: what it needs to know about them (their load, whether they came back fit
/// for reuse, whether they are still open) its caller reads beforehand, outside the lock, and passes in. `Waiter` is
/// whatever the caller resumes with a connection (a continuation in the pool, a plain value in the unit tests).
struct PoolStateMachine<Waiter> {
    typealias ConnectionID = PoolConnectionID

    enum Lifecycle {
        case open
        case closed
    }

    private struct Entry {
        let id: ConnectionID
        /// Held by one caller (acquire, MULTI, blocking commands): shared `execute` skips it.
        var isLeased: Bool
        /// Shared commands chosen for this connection and not yet queued on it. While any is, the connection is not
        /// leased: a lessee's blocking command (XREAD BLOCK) queued first would hold them up.
        var sharedReservations = 0
        /// The `credentialsGeneration` this connection authenticated under.
        var credentialsGeneration: Int

        var isFree: Bool { !isLeased && sharedReservations == 0 }
    }

    let minSize: Int
    let maxSize: Int
    /// The most connections shared commands are spread over (the first free ones); more open only for leases.
    /// Fewer connections carry more commands per write: a cluster's node pools use 1 (see `RedisCluster`).
    let sharedSpread: Int
    private(set) var lifecycle: Lifecycle = .open
    private(set) var db: Int
    /// In the order they opened, so the shared path spreads load evenly. An array rather than a dictionary: a pool
    /// holds a handful of connections, and the shared path reads every entry for every command.
    private var entries: [Entry] = []
    private var waiters: Deque<(id: UInt64, waiter: Waiter)> = []
    private(set) var opening = 0
    /// The connection kept for Pub/Sub; it counts in `size` and is never handed out.
    private(set) var pubsubConnection: ConnectionID?
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
    /// Every connection, in the order they opened.
    var connections: [ConnectionID] { entries.map(\.id) }
    private var canOpen: Bool { entries.count + opening < maxSize }

    typealias SharedChoice = PoolSharedChoice<ConnectionID>
    typealias AcquireChoice = PoolAcquireChoice<ConnectionID>
    typealias Registration = PoolRegistration<ConnectionID>
    typealias Handoff = PoolHandoff<Waiter, ConnectionID>

    /// A connection for one pipelined command: the least loaded of the first `sharedSpread` free ones by `loads`
    /// (read just before, in the order of `connections`). Opens another in the background when every free one is
    /// already busy and the pool may grow (up to `sharedSpread`).
    ///
    /// The connection chosen is reserved until the pool reports the command queued on it (`sharedQueued`), so that
    /// choosing and queueing act as one step for `acquire`.
    mutating func chooseShared(loads: some Collection<PoolConnectionLoad>) -> SharedChoice {
        guard lifecycle == .open else { return .closed }
        var best: Int?
        var bestLoad = Int.max
        var candidates = 0
        var position = 0
        for load in loads where candidates < sharedSpread {
            defer { position += 1 }
            // A connection closing right now is skipped; its close callback removes it in a moment.
            guard load.isOpen, let index = index(of: load.id, probablyAt: position), !entries[index].isLeased
            else { continue }
            candidates += 1
            let total = load.pendingReplies + entries[index].sharedReservations
            if total < bestLoad {
                best = index
                bestLoad = total
                if total == 0 { break }
            }
        }
        if let best {
            let grow = bestLoad > 0 && canOpen && candidates < sharedSpread
            if grow { opening += 1 }
            entries[best].sharedReservations += 1
            return .use(entries[best].id, openAnother: grow)
        }
        if canOpen {
            opening += 1
            return .openAndWait
        }
        return .wait
    }

    /// A connection leased exclusively: an idle free one if any, else any free one, else a new one, else wait.
    mutating func acquire(loads: some Collection<PoolConnectionLoad>) -> AcquireChoice {
        guard lifecycle == .open else { return .closed }
        // With shared commands kept on few connections, a lease opens a new connection before it takes a busy one:
        // leasing the one that carries them would send them to connections opened for waiters, one at a time.
        if let id = leaseFree(loads, busyToo: sharedSpread == .max || !canOpen) { return .use(id) }
        if canOpen {
            opening += 1
            return .openAndWait
        }
        return .wait
    }

    /// A shared command chosen by `chooseShared` is now queued on `id`: the reservation ends, and a caller that
    /// waited for a connection because every free one was reserved gets this one (unless it closed meanwhile).
    mutating func sharedQueued(on id: ConnectionID, isOpen: Bool) -> Handoff {
        guard let index = index(of: id) else { return .none }
        entries[index].sharedReservations -= 1
        guard lifecycle == .open, isOpen, entries[index].isFree, let next = waiters.popFirst() else { return .none }
        entries[index].isLeased = true
        return .resume(next.waiter, id)
    }

    /// Leases the first free open connection with nothing pending, else (when `busyToo`) the first free open one.
    private mutating func leaseFree(
        _ loads: some Collection<PoolConnectionLoad>, busyToo: Bool = true
    ) -> ConnectionID? {
        var firstFree: Int?
        var position = 0
        for load in loads {
            defer { position += 1 }
            guard load.isOpen, let index = index(of: load.id, probablyAt: position), entries[index].isFree else {
                continue
            }
            if load.pendingReplies == 0 {
                firstFree = index
                break
            }
            if busyToo, firstFree == nil { firstFree = index }
        }
        guard let firstFree else { return nil }
        entries[firstFree].isLeased = true
        return entries[firstFree].id
    }

    /// Where `id`'s entry is; `position` is checked first (loads are read in the entries' order).
    private func index(of id: ConnectionID, probablyAt position: Int) -> Int? {
        if position < entries.count, entries[position].id == id { return position }
        return index(of: id)
    }

    private func index(of id: ConnectionID) -> Int? {
        entries.firstIndex { $0.id == id }
    }

    /// The free open connection `getConnection()` returns, without leasing it.
    func peekFree(loads: some Collection<PoolConnectionLoad>) -> ConnectionID? {
        guard lifecycle == .open else { return nil }
        var position = 0
        for load in loads {
            defer { position += 1 }
            if load.isOpen, let index = index(of: load.id, probablyAt: position), !entries[index].isLeased {
                return load.id
            }
        }
        return nil
    }

    /// Queues a caller for the next connection released or opened, unless one is free by now.
    mutating func registerWaiter(
        _ waiter: Waiter, id: UInt64, loads: some Collection<PoolConnectionLoad>
    ) -> Registration {
        guard lifecycle == .open else { return .closed }
        if let connection = leaseFree(loads) { return .leased(connection) }
        waiters.append((id, waiter))
        return .waiting(noConnections: entries.isEmpty)
    }

    mutating func removeWaiter(id: UInt64) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// A connection finished opening (`isOpen`: it had not closed again by the time the caller looked).
    mutating func opened(_ id: ConnectionID, isOpen: Bool, credentialsGeneration: Int) -> Handoff {
        opening -= 1
        guard lifecycle == .open, isOpen else { return .close(id) }
        let next = waiters.popFirst()
        entries.append(Entry(id: id, isLeased: next != nil, credentialsGeneration: credentialsGeneration))
        return next.map { .resume($0.waiter, id) } ?? .none
    }

    /// Opening failed: when no connection is left at all, every waiter fails (the server is unreachable);
    /// otherwise the first waiter does and the others keep waiting for releases.
    mutating func openFailed() -> [Waiter] {
        opening -= 1
        if entries.isEmpty {
            defer { waiters.removeAll() }
            return waiters.map(\.waiter)
        }
        return waiters.popFirst().map { [$0.waiter] } ?? []
    }

    /// A leased connection comes back in `condition`. One authenticated before the last `auth`, closed, on another
    /// db, inside MULTI, WATCHing (a later MULTI/EXEC on it would fail for keys its last user watched), subscribed,
    /// or still owing a reply to a cancelled caller (a blocking command abandoned mid-wait) is dropped.
    mutating func release(_ id: ConnectionID, condition: PoolReleaseCondition) -> Handoff {
        // The Pub/Sub connection (handed out by `acquire(command:)`) stays dedicated.
        guard let index = index(of: id), id != pubsubConnection else { return .none }
        let unfit =
            entries[index].credentialsGeneration != credentialsGeneration || !condition.isOpen || condition.db != db
            || condition.inTransaction || condition.isWatching || condition.subscriptionCount > 0
            || condition.hasAbandonedReplies
        if lifecycle == .closed || unfit {
            entries.remove(at: index)
            return .close(id)
        }
        if let next = waiters.popFirst() {
            return .resume(next.waiter, id)
        }
        entries[index].isLeased = false
        return .none
    }

    /// A connection closed (server gone, killed): forget it. True when the pool should refill.
    mutating func connectionClosed(_ id: ConnectionID) -> Bool {
        if pubsubConnection == id { pubsubConnection = nil }
        guard let index = index(of: id) else { return false }
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
    mutating func setCredentials(_ newCredentials: Credentials, authenticated: ConnectionID?) -> Int {
        credentials = newCredentials
        credentialsGeneration += 1
        if let authenticated { markAuthenticated(authenticated, generation: credentialsGeneration) }
        return credentialsGeneration
    }

    mutating func markAuthenticated(_ id: ConnectionID, generation: Int) {
        guard let index = index(of: id) else { return }
        entries[index].credentialsGeneration = generation
    }

    /// Leases every free connection (for `select` and `auth`).
    mutating func leaseAllFree() -> [ConnectionID] {
        var leased: [ConnectionID] = []
        for index in entries.indices where !entries[index].isLeased {
            entries[index].isLeased = true
            leased.append(entries[index].id)
        }
        return leased
    }

    /// Removes free connections (for `clear`); returns them to be closed.
    mutating func removeFree() -> [ConnectionID] {
        defer { entries.removeAll { !$0.isLeased } }
        return entries.filter { !$0.isLeased }.map(\.id)
    }

    /// The Pub/Sub connection if it is open (`pubsubIsOpen`), else a free connection, leased and dedicated to
    /// Pub/Sub.
    mutating func pubSubConnectionOrDedicateFree(
        pubsubIsOpen: Bool, loads: some Collection<PoolConnectionLoad>
    ) -> ConnectionID? {
        if let pubsubConnection, pubsubIsOpen { return pubsubConnection }
        guard lifecycle == .open, let id = leaseFree(loads) else { return nil }
        pubsubConnection = id
        return id
    }

    /// Records the connection dedicated to Pub/Sub (taken from the leased ones: it stays leased).
    mutating func dedicateToPubSub(_ id: ConnectionID) {
        pubsubConnection = id
    }

    mutating func close() -> (waiters: [Waiter], connections: [ConnectionID]) {
        lifecycle = .closed
        let toFail = waiters.map(\.waiter)
        waiters.removeAll()
        let connections = entries.map(\.id)
        entries.removeAll()
        pubsubConnection = nil
        return (toFail, connections)
    }
}

extension PoolStateMachine: Sendable where Waiter: Sendable {}
