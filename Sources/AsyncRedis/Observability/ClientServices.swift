import ServiceLifecycle

extension Redis: Service {
    /// Runs the connection or pool underneath as a `Service` when it is one (a pool drains, see
    /// `ConnectionsPool.run()`); a single connection closes on graceful shutdown once its pending calls are
    /// answered.
    public func run() async throws {
        if let service = connection as? any Service {
            try await service.run()
            return
        }
        await ServiceRunner.run(until: { await self.waitClosed() }) {
            Task { await self.closeAfterPendingCalls() }
        } onCancel: {
            self.close()
        }
    }

    /// Closes a single connection once its calls are answered (`commandTimeout`, else 30 s, at most).
    private func closeAfterPendingCalls() async {
        if let single = connection as? RedisConnection {
            let deadline = ContinuousClock.now + (single.commandTimeout.map { Duration.nanoseconds($0.nanoseconds) } ?? .seconds(30))
            while single.pendingCount > 0, !single.isClosed, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        close()
    }
}

extension RedisSubscriber: Service {
    /// Keeps the subscriber (and its resubscriptions) alive until graceful shutdown or cancellation, then closes
    /// it: every channel's stream ends.
    public func run() async throws {
        await ServiceRunner.run(until: { await self.waitUntilClosed() }, closingWith: { self.close() })
    }

    private func waitUntilClosed() async {
        // A subscriber has no close future: it is checked often enough for a shutdown to feel immediate.
        while !isClosed {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension SentinelPool: Service, DrainableClient {
    /// Keeps the sentinel connections and managed pools open until graceful shutdown, then drains the managed
    /// pools (`closeGracefully()`); cancelled, it closes at once as `close()` does.
    public func run() async throws {
        await ServiceRunner.runDraining(self)
    }

    /// Closes like `close()`, after the calls already sent through the managed pools got their replies: new calls
    /// fail with `PoolClosedError` at once (see `ConnectionsPool.closeGracefully()`).
    public func closeGracefully() async {
        await withTaskGroup(of: Void.self) { group in
            for managed in managedPools { group.addTask { await managed.closeGracefully() } }
        }
        close()
    }
}

extension RedisSentinel: Service {
    /// Runs `pool` (see `SentinelPool.run()`).
    public func run() async throws {
        try await pool.run()
    }
}
