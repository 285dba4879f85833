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
}
