import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// A pool of connections to one server (aioredis `ConnectionsPool`).
///
/// `execute` keeps implicit pipelining: concurrent commands share the pool's connections (each goes to the least
/// loaded one) rather than leasing one per command. Only blocking commands, `acquire`/`withConnection` sessions
/// (MULTI, WATCH) and Pub/Sub take a connection exclusively. Dead connections are dropped and the pool refills to
/// `minSize` in the background, with exponential backoff and jitter.
public final class ConnectionsPool: RedisPoolProtocol {
    /// The server's address.
    public let address: RedisAddress
    /// Connections kept open.
    public let minSize: Int
    /// The most connections open at once.
    public let maxSize: Int
    /// How replies are decoded as `String` when a call does not say.
    public let encoding: RedisEncoding?
    /// Bound on opening one connection, and on how long a caller waits for a new one while the server is down.
    public let createConnectionTimeout: Duration?
    /// Which failed commands `execute` sends again.
    public let retryPolicy: RedisRetryPolicy
    let configuration: RedisConnectionConfiguration
    let state: NIOLockedValueBox<PoolState>
    /// Log lines, gauges and the reconnection counter.
    let instruments: PoolInstruments
    private let nextWaiterID = Atomic<UInt64>(0)
    private let nextConnectionID = Atomic<UInt64>(0)
    let closedPromise: EventLoopPromise<Void>

    /// How long a caller waiting for a new connection keeps trying when no timeout was given.
    static let defaultDemandTimeout: Duration = .seconds(10)

    init(configuration: RedisConnectionConfiguration, minSize: Int, maxSize: Int, createConnectionTimeout: Duration?,
         retryPolicy: RedisRetryPolicy = .default, sharedSpread: Int = .max) throws
    {
        guard maxSize > 0 else { throw InvalidArgumentError("maxSize must be greater than 0, got \(maxSize)") }
        guard minSize >= 0, minSize <= maxSize else {
            throw InvalidArgumentError("minSize must be between 0 and maxSize (\(maxSize)), got \(minSize)")
        }
        if let createConnectionTimeout, createConnectionTimeout <= .zero {
            throw InvalidArgumentError("createConnectionTimeout must be > 0")
        }
        try configuration.validate()
        try retryPolicy.validate()
        self.retryPolicy = retryPolicy
        var configuration = configuration
        configuration.timeout = createConnectionTimeout ?? configuration.timeout
        self.configuration = configuration
        self.address = configuration.address
        self.minSize = minSize
        self.maxSize = maxSize
        self.encoding = configuration.encoding
        self.createConnectionTimeout = createConnectionTimeout
        self.state = NIOLockedValueBox(
            PoolState(
                machine: PoolStateMachine(
                    minSize: minSize, maxSize: maxSize, db: configuration.db, sharedSpread: sharedSpread)))
        self.closedPromise = configuration.eventLoopGroup.any().makePromise()
        self.instruments = PoolInstruments(configuration)
    }

    deinit {
        // A pool dropped without `close()` (one with no connection left: an open connection keeps its pool alive)
        // must not leave its promise uncompleted, which NIO reports as a leak by trapping in debug builds.
        closedPromise.succeed()
    }

    /// Opens `minSize` connections; the first failure closes the pool and is thrown.
    func fill() async throws {
        let count = state.withLockedValue { $0.machine.reserveRefill() }
        do {
            try await withThrowingTaskGroup(of: RedisConnection.self) { group in
                for _ in 0..<count {
                    group.addTask { try await RedisConnection.connect(self.configuration) }
                }
                for try await connection in group { adopt(connection, credentialsGeneration: 0) }
            }
        } catch {
            close()
            throw error
        }
        instruments.logger.debug("pool opened", metadata: ["redis.pool.size": "\(count)"])
        instruments.startGauges(of: self, maxSize: maxSize)
    }

    // MARK: Properties

    /// The pool's database: every connection's.
    public var db: Int { state.withLockedValue { $0.machine.db } }
    /// Free and leased connections (the Pub/Sub one included).
    public var size: Int { state.withLockedValue { $0.machine.size } }
    /// Connections not leased by anyone.
    public var freeSize: Int { state.withLockedValue { $0.machine.freeSize } }
    /// True once `close()` was called.
    public var isClosed: Bool { state.withLockedValue { $0.machine.isClosed } }
    /// Callers waiting for a connection.
    public var waiterCount: Int { state.withLockedValue { $0.machine.waiterCount } }

    private var pubsubConnection: RedisConnection? { state.withLockedValue { $0.pubsubConnection } }
    /// The connection kept for Pub/Sub, once one was taken.
    var dedicatedPubSubConnection: RedisConnection? { pubsubConnection }
    /// Channels subscribed on the pool's Pub/Sub connection.
    public var pubsubChannels: [String: PubSubChannel] { pubsubConnection?.pubsubChannels ?? [:] }
    /// Patterns subscribed on the pool's Pub/Sub connection.
    public var pubsubPatterns: [String: PubSubChannel] { pubsubConnection?.pubsubPatterns ?? [:] }
    /// Shard channels subscribed on the pool's Pub/Sub connection.
    public var pubsubShardChannels: [String: PubSubChannel] { pubsubConnection?.pubsubShardChannels ?? [:] }
    /// Subscriptions on the pool's Pub/Sub connection.
    public var inPubSub: Int { pubsubConnection?.inPubSub ?? 0 }

    /// Opens a pool of 1 to 10 connections with `configuration`.
    public static func connect(_ configuration: RedisConnectionConfiguration) async throws -> ConnectionsPool {
        let pool = try ConnectionsPool(configuration: configuration, minSize: 1, maxSize: 10, createConnectionTimeout: nil)
        try await pool.fill()
        return pool
    }

    // MARK: Executing

    /// Sends a command on a connection of the pool; a failure `retryPolicy` names is retried (by default: a
    /// read-only command whose connection was lost, once).
    public func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        var attempt = 1
        while true {
            do {
                return try await executeOnce(command, arguments)
            } catch where !isClosed && retryPolicy.shouldRetry(command, after: error, attempt: attempt) {
                let delay = retryPolicy.backoff(afterAttempt: attempt)
                if delay > .zero { try await Task.sleep(for: delay) }
                attempt += 1
            }
        }
    }

    private func executeOnce(_ command: String, _ arguments: [any RedisArgument]) async throws -> RESPValue {
        if command.utf8.count == 6, command.uppercased() == "SELECT" {
            // On a shared connection SELECT would silently move one connection to another db.
            throw InvalidArgumentError("use ConnectionsPool.select(_:) to change the pool's db")
        }
        switch RedisCommandTable.traits(command).poolRoute {
        case .exclusive:
            return try await withConnection { try await $0.execute(command, arguments: arguments) }
        case .pubsub:
            // The connection answers with the confirmations; on a shared one, later commands would be refused.
            return try await pubSubConnection().execute(command, arguments: arguments)
        case .shared:
            break
        }
        let choice = withLoads { state, loads in state.chooseShared(loads: loads) }
        switch choice {
        case .use(let member, let openAnother):
            if openAnother { openInBackground(forDemand: false) }
            return try await member.connection.execute(command, arguments: arguments) { sharedQueued(on: member) }
        case .closed:
            throw PoolClosedError("pool is closed")
        case .openAndWait, .wait:
            // No free connection: wait for one like `acquire` does, run the command, hand the connection back.
            let connection = try await waitForConnection(alreadyOpening: choice.isOpening)
            defer { release(connection) }
            return try await connection.execute(command, arguments: arguments)
        }
    }

    /// Runs a Pub/Sub command on the pool's dedicated Pub/Sub connection, taken on first use and kept until the
    /// pool closes. It is not reconnected: if it dies, its channels close with the error (no hidden message loss)
    /// and the next Pub/Sub command takes a new one.
    public func executePubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue] {
        try await pubSubConnection().executePubSub(command, channels: channels)
    }

    /// The dedicated Pub/Sub connection, leased from the pool on first use.
    private func pubSubConnection() async throws -> RedisConnection {
        if let connection = pubsubConnection, !connection.isClosed { return connection }
        let candidate = try await acquire()
        // Read before taking the pool's lock: the pool never reads a connection's state under its own.
        let existingIsOpen = pubsubConnection.map { !$0.isClosed } ?? false
        let dedicated = state.withLockedValue { state -> RedisConnection in
            if existingIsOpen, let existing = state.pubsubConnection { return existing }
            guard let id = state.id(of: candidate) else { return candidate }
            state.machine.dedicateToPubSub(id)
            return candidate
        }
        if dedicated !== candidate { release(candidate) }
        return dedicated
    }

    // MARK: Leasing

    /// A free connection, without leasing it or waiting (`nil` when none is free), and the address.
    public func getConnection() -> (RedisConnection?, RedisAddress) {
        (withLoads { state, loads in state.machine.peekFree(loads: loads).flatMap { state.connection($0) } }, address)
    }

    /// The connection `command` would run on (aioredis `get_connection(command, args)`): for a Pub/Sub command the
    /// Pub/Sub connection (a free one is dedicated to it if there is none yet), else a free one; `nil` when none
    /// is free.
    public func getConnection(_ command: String, _ arguments: [any RedisArgument] = [])
        -> (RedisConnection?, RedisAddress)
    {
        guard RedisCommandTable.traits(command).pubSubKind != nil else { return getConnection() }
        let pubsubIsOpen = pubsubConnection.map { !$0.isClosed } ?? false
        let connection = withLoads { state, loads in
            state.machine.pubSubConnectionOrDedicateFree(pubsubIsOpen: pubsubIsOpen, loads: loads)
                .flatMap { state.connection($0) }
        }
        return (connection, address)
    }

    /// A connection for `command`: the Pub/Sub connection for a Pub/Sub command (releasing it is harmless: it stays
    /// dedicated), else one leased exclusively as `acquire()` does.
    public func acquire(_ command: String, _ arguments: [any RedisArgument] = []) async throws -> RedisConnection {
        guard RedisCommandTable.traits(command).pubSubKind != nil else { return try await acquire() }
        return try await pubSubConnection()
    }

    /// Leases a connection exclusively; waits (FIFO) when the pool is at `maxSize` and all are leased.
    /// - Throws: `PoolClosedError` if the pool is closed, `ConnectionClosedError` if no connection could be opened
    ///   within `createConnectionTimeout`.
    public func acquire() async throws -> RedisConnection {
        switch withLoads({ state, loads in state.acquire(loads: loads) }) {
        case .use(let connection): return connection
        case .closed: throw PoolClosedError("pool is closed")
        case .openAndWait: return try await waitForConnection(alreadyOpening: true)
        case .wait: return try await waitForConnection(alreadyOpening: false)
        }
    }

    /// Hands a leased connection back; one left unfit for reuse (another db, in MULTI, subscribed, ...) is closed.
    public func release(_ connection: RedisConnection) {
        let condition = connection.poolReleaseCondition
        switch state.withLockedValue({ $0.release(connection, condition: condition) }) {
        case .resume(let waiter, let next): waiter.resume(returning: next)
        case .close(let unfit):
            instruments.logger.debug("evicting a connection that came back unfit for the pool")
            unfit.close()
            refillIfNeeded()
        case .none: break
        }
    }

    /// Runs `body` with a leased connection and releases it on every path, errors and cancellation included.
    public func withConnection<T: Sendable>(_ body: (RedisConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        defer { release(connection) }
        return try await body(connection)
    }

    /// Ends the reservation `chooseShared` made; hands the connection to a waiter that needed it.
    private func sharedQueued(on member: PoolMember) {
        let isOpen = !member.connection.isClosed
        let handoff = state.withLockedValue { $0.machine.sharedQueued(on: member.id, isOpen: isOpen) }
        if case .resume(let waiter, _) = handoff { waiter.resume(returning: member.connection) }
    }

    /// Runs `body` under the pool's lock with every connection's load, read just before outside it (the pool
    /// never holds its lock while taking a connection's). The loads live on the stack: nothing is allocated.
    private func withLoads<T>(
        _ body: (inout PoolState, UnsafeMutableBufferPointer<PoolConnectionLoad>) -> T
    ) -> T {
        let members = state.withLockedValue { $0.members }
        return withUnsafeTemporaryAllocation(of: PoolConnectionLoad.self, capacity: members.count) { loads in
            for index in members.indices {
                loads.initializeElement(at: index, to: members[index].connection.poolLoad(id: members[index].id))
            }
            return state.withLockedValue { body(&$0, loads) }
        }
    }

    private func waitForConnection(alreadyOpening: Bool) async throws -> RedisConnection {
        let id = nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let registration = withLoads { state, loads -> PoolRegistration<RedisConnection>? in
                    if Task.isCancelled { return nil }
                    return state.registerWaiter(continuation, id: id, loads: loads)
                }
                // The slot reserved for a new connection is used whatever happened here: it joins the free ones.
                if alreadyOpening { openInBackground(forDemand: true) }
                switch registration {
                case .none: continuation.resume(throwing: CancellationError())
                case .closed: continuation.resume(throwing: PoolClosedError("pool is closed"))
                case .leased(let connection): continuation.resume(returning: connection)
                case .waiting(let noConnections):
                    if noConnections { failWaiterAfterTimeout(id: id) }
                }
            }
        } onCancel: {
            state.withLockedValue { $0.machine.removeWaiter(id: id) }?.resume(throwing: CancellationError())
        }
    }

    /// With no connection alive, a waiter gets `ConnectionClosedError` once `createConnectionTimeout` (10 s if
    /// none) passes without a connection for it: callers never hang on a server that stays down.
    private func failWaiterAfterTimeout(id: UInt64) {
        let timeout = createConnectionTimeout ?? Self.defaultDemandTimeout
        Task {
            try? await Task.sleep(for: timeout)
            state.withLockedValue { $0.machine.removeWaiter(id: id) }?.resume(
                throwing: ConnectionClosedError(
                    "no connection to \(address) could be opened within \(timeout)",
                    // The cause says that the command was never sent (a cluster retries such commands).
                    cause: ConnectTimeoutError("no connection to \(address) could be opened within \(timeout)")))
        }
    }

    // MARK: Opening and recovery

    /// Opens one connection (the slot was reserved in the state). For a waiting caller it retries with backoff
    /// until `createConnectionTimeout` (10 s if none), then fails the waiters with `ConnectionClosedError`;
    /// for refilling it retries until the pool closes.
    private func openInBackground(forDemand: Bool, afterLoss: Bool = false) {
        Task {
            let deadline = ContinuousClock.now + (createConnectionTimeout ?? Self.defaultDemandTimeout)
            var backoff = Backoff()
            while true {
                do {
                    try await openOne()
                    if afterLoss { instruments.reconnected() }
                    return
                } catch {
                    let delay = backoff.next()
                    if isClosed || (forDemand && ContinuousClock.now + delay > deadline) {
                        let failed = state.withLockedValue { $0.machine.openFailed() }
                        for waiter in failed {
                            waiter.resume(
                                throwing: ConnectionClosedError(
                                    "could not open a connection to \(address): \(error)", cause: error))
                        }
                        return
                    }
                    try? await Task.sleep(for: delay)
                }
            }
        }
    }

    /// Opens a connection on the db `select` set last, with the credentials `auth` set last, and adopts it.
    private func openOne() async throws {
        var configuration = self.configuration
        let (db, credentials, openedGeneration) = state.withLockedValue {
            ($0.machine.db, $0.machine.credentials, $0.machine.credentialsGeneration)
        }
        configuration.db = db
        if let credentials {
            configuration.username = credentials.username
            configuration.password = credentials.password
        }
        let connection = try await RedisConnection.connect(configuration)
        var generation = openedGeneration
        do {
            // An `auth` that ran while this one was opening: catch up before anyone uses it.
            while true {
                let (latest, latestGeneration) = state.withLockedValue {
                    ($0.machine.credentials, $0.machine.credentialsGeneration)
                }
                guard latestGeneration != generation, let latest else { break }
                try await connection.auth(latest.password, username: latest.username)
                generation = latestGeneration
            }
        } catch {
            connection.close()
            throw error
        }
        adopt(connection, credentialsGeneration: generation)
    }

    /// Adds a newly opened connection: to the first waiter, else to the free ones (closed if the pool closed).
    private func adopt(_ connection: RedisConnection, credentialsGeneration: Int) {
        let member = PoolMember(
            id: PoolConnectionID(rawValue: nextConnectionID.wrappingAdd(1, ordering: .relaxed).newValue),
            connection: connection)
        let isOpen = !connection.isClosed
        let handoff = state.withLockedValue {
            $0.members.append(member)
            return $0.machine.opened(member.id, isOpen: isOpen, credentialsGeneration: credentialsGeneration)
        }
        watch(member)
        switch handoff {
        case .resume(let waiter, _): waiter.resume(returning: connection)
        case .close: connection.close()
        case .none: break
        }
    }

    /// Forgets a connection once it closes, and refills to `minSize`.
    private func watch(_ member: PoolMember) {
        member.connection.channel.closeFuture.whenComplete { _ in
            if self.state.withLockedValue({ $0.connectionClosed(member.id) }) {
                self.instruments.logger.debug("a connection left the pool")
                self.refillIfNeeded()
            }
        }
    }

    private func refillIfNeeded() {
        let count = state.withLockedValue { $0.machine.reserveRefill() }
        if count > 0 { instruments.logger.debug("refilling the pool", metadata: ["redis.pool.opening": "\(count)"]) }
        for _ in 0..<count { openInBackground(forDemand: false, afterLoss: true) }
    }

    // MARK: Database, clearing, closing

    /// Changes the db of every free connection and of connections opened from now on; leased connections
    /// coming back on the old db are dropped.
    @discardableResult
    public func select(_ db: Int) async throws -> Bool {
        guard db >= 0 else { throw InvalidArgumentError("db must be >= 0, got \(db)") }
        try await withEveryFreeConnection { leased in
            // The first SELECT validates db before the pool adopts it.
            try await leased[0].select(db)
            state.withLockedValue { $0.machine.setDB(db) }
            for connection in leased.dropFirst() { try await connection.select(db) }
        }
        return true
    }

    /// Authenticates every free connection, and connections opened from now on (aioredis `auth` on a pool);
    /// leased connections coming back authenticated the old way are dropped. The Pub/Sub connection is left as it
    /// is: a RESP2 connection refuses AUTH while subscribed.
    /// - Throws: `AuthError` when the server refuses the credentials; the pool then keeps its old ones.
    @discardableResult
    public func auth(_ password: String, username: String? = nil) async throws -> Bool {
        try await withEveryFreeConnection { leased in
            // The first AUTH checks the credentials before the pool adopts them.
            try await leased[0].auth(password, username: username)
            let generation = state.withLockedValue {
                $0.setCredentials(.init(username: username, password: password), authenticated: leased[0])
            }
            for connection in leased.dropFirst() {
                try await connection.auth(password, username: username)
                state.withLockedValue { $0.markAuthenticated(connection, generation: generation) }
            }
        }
        return true
    }

    /// Runs `body` with every free connection leased (one leased or opened when none is free), and releases them
    /// on every path.
    private func withEveryFreeConnection(_ body: ([RedisConnection]) async throws -> Void) async throws {
        var leased = state.withLockedValue { $0.leaseAllFree() }
        if leased.isEmpty { leased = [try await acquire()] }
        defer { for connection in leased { release(connection) } }
        try await body(leased)
    }

    /// Closes and removes every free connection.
    public func clear() async {
        let free = state.withLockedValue { $0.removeFree() }
        for connection in free { connection.close() }
        for connection in free { await connection.waitClosed() }
    }

    /// Closes every connection, free and leased; pending calls fail with `ConnectionForcedCloseError`,
    /// waiting callers with `PoolClosedError`, later calls with `PoolClosedError`.
    public func close() {
        let (waiters, connections) = state.withLockedValue { $0.close() }
        instruments.stopGauges()
        instruments.logger.debug("pool closed")
        for waiter in waiters { waiter.resume(throwing: PoolClosedError("pool closed while waiting for a connection")) }
        for connection in connections { connection.close() }
        let futures = connections.map { $0.channel.closeFuture }
        EventLoopFuture.whenAllComplete(futures, on: closedPromise.futureResult.eventLoop)
            .whenComplete { _ in self.closedPromise.succeed() }
    }

    /// Returns once every connection is closed.
    public func waitClosed() async {
        try? await closedPromise.futureResult.get()
    }
}

/// Exponential backoff with jitter: 50 ms doubling to 5 s, each delay drawn from 50–150% of the step.
struct Backoff {
    private var step: Duration = .milliseconds(50)

    mutating func next() -> Duration {
        let delay = step * Double.random(in: 0.5...1.5)
        step = min(step * 2, .seconds(5))
        return delay
    }
}
