/// One connection of a pool and the id its state machine knows it by.
struct PoolMember: Sendable {
    let id: PoolConnectionID
    let connection: RedisConnection
}

/// What `ConnectionsPool` keeps under its lock: the state machine, which deals in ids, and the connections those ids
/// stand for. This type only translates between the two; every decision is the machine's.
struct PoolState: Sendable {
    typealias Waiter = CheckedContinuation<RedisConnection, any Error>

    var machine: PoolStateMachine<Waiter>
    /// Every connection adopted and not yet seen closing, in the order they opened (the machine's order). A
    /// connection the machine dropped stays here until its close callback: closing it is always the next step.
    var members: [PoolMember] = []

    var pubsubConnection: RedisConnection? { machine.pubsubConnection.flatMap { connection($0) } }

    func connection(_ id: PoolConnectionID) -> RedisConnection? {
        members.first { $0.id == id }?.connection
    }

    func id(of connection: RedisConnection) -> PoolConnectionID? {
        members.first { $0.connection === connection }?.id
    }

    /// The member the machine just chose. Every id the machine knows is a member: a connection joins both under one
    /// lock, and leaves the machine no later than it leaves `members`.
    private func member(_ id: PoolConnectionID) -> PoolMember {
        guard let member = members.first(where: { $0.id == id }) else {
            preconditionFailure("the pool's state machine chose connection \(id), which the pool does not hold")
        }
        return member
    }

    mutating func chooseShared(loads: some Collection<PoolConnectionLoad>) -> PoolSharedChoice<PoolMember> {
        machine.chooseShared(loads: loads).map { member($0) }
    }

    mutating func acquire(loads: some Collection<PoolConnectionLoad>) -> PoolAcquireChoice<RedisConnection> {
        machine.acquire(loads: loads).map { member($0).connection }
    }

    mutating func registerWaiter(
        _ waiter: Waiter, id: UInt64, loads: some Collection<PoolConnectionLoad>
    ) -> PoolRegistration<RedisConnection> {
        machine.registerWaiter(waiter, id: id, loads: loads).map { member($0).connection }
    }

    mutating func release(
        _ released: RedisConnection, condition: PoolReleaseCondition
    ) -> PoolHandoff<Waiter, RedisConnection> {
        guard let id = id(of: released) else { return .none }
        return machine.release(id, condition: condition).map { _ in released }
    }

    /// Forgets a closed connection; true when the pool should refill.
    mutating func connectionClosed(_ id: PoolConnectionID) -> Bool {
        members.removeAll { $0.id == id }
        return machine.connectionClosed(id)
    }

    mutating func setCredentials(
        _ credentials: PoolStateMachine<Waiter>.Credentials, authenticated: RedisConnection
    ) -> Int {
        machine.setCredentials(credentials, authenticated: id(of: authenticated))
    }

    mutating func markAuthenticated(_ authenticated: RedisConnection, generation: Int) {
        if let id = id(of: authenticated) { machine.markAuthenticated(id, generation: generation) }
    }

    mutating func leaseAllFree() -> [RedisConnection] {
        machine.leaseAllFree().compactMap { connection($0) }
    }

    mutating func removeFree() -> [RedisConnection] {
        machine.removeFree().compactMap { connection($0) }
    }

    mutating func close() -> (waiters: [Waiter], connections: [RedisConnection]) {
        let (waiters, ids) = machine.close()
        return (waiters, ids.compactMap { connection($0) })
    }
}
