/// What the pool's state machine answers, generic over how a connection is named: `PoolConnectionID` in the
/// machine, the connection itself once `PoolState` has looked it up.

/// Where one pipelined command goes.
enum PoolSharedChoice<Connection> {
    case use(Connection, openAnother: Bool)
    case openAndWait
    case wait
    case closed

    var isOpening: Bool {
        if case .openAndWait = self { return true }
        return false
    }

    func map<Other>(_ transform: (Connection) -> Other) -> PoolSharedChoice<Other> {
        switch self {
        case .use(let connection, let openAnother): .use(transform(connection), openAnother: openAnother)
        case .openAndWait: .openAndWait
        case .wait: .wait
        case .closed: .closed
        }
    }
}

/// What an exclusive lease gets.
enum PoolAcquireChoice<Connection> {
    case use(Connection)
    case openAndWait
    case wait
    case closed

    func map<Other>(_ transform: (Connection) -> Other) -> PoolAcquireChoice<Other> {
        switch self {
        case .use(let connection): .use(transform(connection))
        case .openAndWait: .openAndWait
        case .wait: .wait
        case .closed: .closed
        }
    }
}

/// What becomes of a caller that asked to wait for a connection.
enum PoolRegistration<Connection> {
    /// A connection became free meanwhile: it is leased to the caller at once.
    case leased(Connection)
    /// Queued; `noConnections` when none is alive (the server may be down), so the wait must be bounded.
    case waiting(noConnections: Bool)
    case closed

    func map<Other>(_ transform: (Connection) -> Other) -> PoolRegistration<Other> {
        switch self {
        case .leased(let connection): .leased(transform(connection))
        case .waiting(let noConnections): .waiting(noConnections: noConnections)
        case .closed: .closed
        }
    }
}

/// What to do with a connection that was released, opened or reported queued on.
enum PoolHandoff<Waiter, Connection> {
    /// Give the connection, leased, to this waiter.
    case resume(Waiter, Connection)
    /// Close it: the pool is closed, or it is unfit for reuse.
    case close(Connection)
    case none

    func map<Other>(_ transform: (Connection) -> Other) -> PoolHandoff<Waiter, Other> {
        switch self {
        case .resume(let waiter, let connection): .resume(waiter, transform(connection))
        case .close(let connection): .close(transform(connection))
        case .none: .none
        }
    }
}
