import ServiceLifecycle

/// The shape of every `Service.run()` here: keep running until the client is closed; graceful shutdown starts a
/// drain, cancellation (a `ServiceGroup` giving up on a slow shutdown, say) closes at once.
enum ServiceRunner {
    static func run(
        until closed: () async -> Void,
        onGracefulShutdown drain: @escaping @Sendable () -> Void,
        onCancel close: @escaping @Sendable () -> Void
    ) async {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await closed()
            } onGracefulShutdown: {
                drain()
            }
        } onCancel: {
            close()
        }
    }

    /// `run` for a client that has nothing to drain: graceful shutdown and cancellation both call `close`.
    static func run(until closed: () async -> Void, closingWith close: @escaping @Sendable () -> Void) async {
        await run(until: closed, onGracefulShutdown: close, onCancel: close)
    }

    /// `run` for a client that drains: graceful shutdown starts `closeGracefully()`, cancellation `close()`.
    static func runDraining(_ client: some DrainableClient) async {
        await run(until: { await client.waitClosed() }) {
            Task { await client.closeGracefully() }
        } onCancel: {
            client.close()
        }
    }
}

/// A client whose calls in flight can finish before it closes.
protocol DrainableClient: Sendable {
    func closeGracefully() async
    func close()
    func waitClosed() async
}
