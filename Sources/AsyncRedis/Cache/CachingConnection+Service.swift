import ServiceLifecycle

extension CachingConnection: Service {
    /// Runs the connection or pool underneath as `Redis.run()` would without a cache (a pool drains, a single
    /// connection closes once its calls are answered), then closes the cache and its tracking connection.
    func run() async throws {
        defer { cache.close() }
        try await Redis(base).run()
    }
}
