import ServiceLifecycle

extension ConnectionsPool: Service, DrainableClient {
    /// Keeps the pool open until graceful shutdown, then drains it (`closeGracefully()`); returns once every
    /// socket is closed. Cancelled, it closes at once as `close()` does.
    public func run() async throws {
        await ServiceRunner.runDraining(self)
    }

    /// Closes without cutting calls short: new calls (and callers waiting for a connection) fail with
    /// `PoolClosedError` at once, calls already sent get their replies, then each connection closes. A connection
    /// whose calls are still unanswered after `commandTimeout` (30 s when it is `nil`) plus a second is closed
    /// anyway, failing them with `ConnectionForcedCloseError`. Cancelling the caller closes what is left at once.
    public func closeGracefully() async {
        let (waiters, connections) = state.withLockedValue { $0.close() }
        instruments.stopGauges()
        instruments.logger.debug("pool draining", metadata: ["redis.pool.size": "\(connections.count)"])
        for waiter in waiters { waiter.resume(throwing: PoolClosedError("pool closed while waiting for a connection")) }
        let deadline = ContinuousClock.now + (configuration.commandTimeout ?? .seconds(30)) + .seconds(1)
        for connection in connections {
            while connection.pendingCount > 0, !connection.isClosed, !Task.isCancelled, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
            connection.close()
        }
        for connection in connections { await connection.waitClosed() }
        instruments.logger.debug("pool closed")
        closedPromise.succeed()
    }
}
