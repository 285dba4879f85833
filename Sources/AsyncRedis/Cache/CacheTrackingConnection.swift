import NIOConcurrencyHelpers
import NIOCore

/// The connection a client cache reads its misses through: RESP3, `CLIENT TRACKING` on, opened on first use and
/// again after a loss.
///
/// Misses go through this one connection (not the pool's) on purpose: the server writes a key's invalidation on
/// the same socket as the replies, in the order it ran the commands, and the handler processes both in read
/// order. So a reply older than an invalidation is always read before it, and its load token is withdrawn before
/// its caller can fill the cache. Replies and invalidations on different connections (`REDIRECT`) have no such
/// order. Losing the connection loses the invalidations the server had not sent yet: the whole cache is dropped
/// then, and again when a new connection takes over.
final class CacheTrackingConnection: CacheTracking {
    private enum State {
        case idle
        case connecting(Task<RedisConnection, any Error>)
        case open(RedisConnection)
        case closed
    }

    private let state = NIOLockedValueBox<State>(.idle)
    private let hasOpenedBefore = NIOLockedValueBox(false)
    private let configuration: NIOLockedValueBox<RedisConnectionConfiguration>
    private let options: RedisClientCache
    private let invalidated: @Sendable (ClientCacheInvalidation) -> Void

    /// `invalidated` runs on the connection's event loop for every invalidation, and with `.trackingReset` when
    /// the connection is lost or replaced.
    init(
        configuration: RedisConnectionConfiguration, options: RedisClientCache,
        invalidated: @escaping @Sendable (ClientCacheInvalidation) -> Void
    ) {
        var configuration = configuration
        configuration.protocolVersion = 3
        self.configuration = NIOLockedValueBox(configuration)
        self.options = options
        self.invalidated = invalidated
    }

    /// Sends a cacheable read on `connection` (preceded by `CLIENT CACHING yes` in `.optIn` mode, in the same
    /// write so that nothing comes between them) and returns its reply as RESP3 gives it.
    func read(_ command: String, _ arguments: [any RedisArgument], on connection: RedisConnection) async throws
        -> RESPValue
    {
        try await Self.read(command, arguments, on: connection, mode: options.mode)
    }

    /// `read` for a cache in `mode`.
    static func read(
        _ command: String, _ arguments: [any RedisArgument], on connection: RedisConnection, mode: RedisClientCache.Mode
    ) async throws -> RESPValue {
        guard mode == .optIn else { return try await connection.execute(command, arguments: arguments) }
        let replies = try await connection.executeBatch([("CLIENT", ["CACHING", "YES"]), (command, arguments)])
        return try replies[1].get()
    }

    /// The one tracking connection, whatever the keys.
    func connection(for redisKeys: [ByteBuffer]) async throws -> RedisConnection {
        try await connection()
    }

    /// The open tracking connection, opened first if needed (one opening shared by every caller).
    func connection() async throws -> RedisConnection {
        enum Next {
            case ready(RedisConnection)
            case wait(Task<RedisConnection, any Error>)
        }
        let next = try state.withLockedValue { state -> Next in
            switch state {
            case .open(let connection) where !connection.isClosed:
                return .ready(connection)
            case .connecting(let task):
                return .wait(task)
            case .closed:
                throw ConnectionForcedCloseError("the client cache is closed")
            case .idle, .open:
                let task = Task { try await self.open() }
                state = .connecting(task)
                return .wait(task)
            }
        }
        switch next {
        case .ready(let connection): return connection
        case .wait(let task): return try await task.value
        }
    }

    private func open() async throws -> RedisConnection {
        let connection: RedisConnection
        do {
            connection = try await RedisConnection.connect(configuration.withLockedValue { $0 })
            connection.onInvalidation { [invalidated] keys in invalidated(ClientCacheInvalidation(keys)) }
            _ = try await connection.execute("CLIENT", arguments: options.trackingArguments)
        } catch {
            state.withLockedValue { if case .connecting = $0 { $0 = .idle } }
            throw error
        }
        // Whatever was read through an earlier connection may have missed invalidations. Not on the first one:
        // nothing was read through this tracking before, and in a cluster, where each master has its own, the
        // first connection to one master must not drop what the others track.
        if hasOpenedBefore.withLockedValue({ opened in defer { opened = true }; return opened }) {
            invalidated(.trackingReset)
        }
        connection.channel.closeFuture.whenComplete { [state, invalidated] _ in
            invalidated(.trackingReset)
            state.withLockedValue { if case .open(let current) = $0, current === connection { $0 = .idle } }
        }
        let kept = state.withLockedValue { state -> Bool in
            guard case .connecting = state else { return false }
            state = .open(connection)
            return true
        }
        guard kept else {
            connection.close()
            throw ConnectionForcedCloseError("the client cache is closed")
        }
        return connection
    }

    /// Reads through a connection to `db` from now on (after SELECT on the client): the whole cache is dropped
    /// and the current connection closed.
    func switchDatabase(to db: Int) {
        configuration.withLockedValue { $0.db = db }
        invalidated(.trackingReset)
        let current = state.withLockedValue { state -> RedisConnection? in
            guard case .open(let connection) = state else { return nil }
            state = .idle
            return connection
        }
        current?.close()
    }

    /// Closes the connection for good.
    func close() {
        let previous = state.withLockedValue { state -> State in
            defer { state = .closed }
            return state
        }
        switch previous {
        case .open(let connection): connection.close()
        case .connecting(let task): task.cancel()
        case .idle, .closed: break
        }
    }
}
