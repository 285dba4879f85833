import ServiceLifecycle

extension RedisCluster: Service, DrainableClient {
    /// Keeps the cluster client open until graceful shutdown, then drains every node's pool
    /// (`closeGracefully()`); returns once every socket is closed. Cancelled, it closes at once as `close()` does.
    public func run() async throws {
        await ServiceRunner.run(until: { await self.waitUntilClosed() }) {
            Task { await self.closeGracefully() }
        } onCancel: {
            self.close()
        }
    }

    /// Closes without cutting calls short: new calls fail with `PoolClosedError` at once, calls already sent to
    /// any node get their replies, then each node's connections close (see `ConnectionsPool.closeGracefully()`).
    public func closeGracefully() async {
        let (pools, refresh) = state.withLockedValue { $0.close() }
        refresh?.cancel()
        plainSubscriptions.close()
        await withTaskGroup(of: Void.self) { group in
            for pool in pools { group.addTask { await pool.closeGracefully() } }
        }
    }

    /// Waits for `close()` or `closeGracefully()` to be called, then for every socket to close. The client has no
    /// close future of its own: it is checked often enough for a shutdown to feel immediate.
    private func waitUntilClosed() async {
        while !isClosed {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await waitClosed()
    }
}
