// Helpers shared by the unit and the integration tests: nothing here needs a Redis server.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A test could not run as written (a missing server variable, a condition never met, a hang).
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Awaits `operation`, failing if it takes longer than `limit`: a hang becomes a test failure, not a stuck run.
///
/// The operation runs in a task of its own that is cancelled, not awaited, when time runs out: a call that ignores
/// cancellation (a reply that never comes) would otherwise hold a task group, and the test, forever.
public func withTimeLimit<T: Sendable>(
    _ limit: Duration = .seconds(10), _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        // Whichever finishes first, the operation or the timer, takes the continuation.
        let waiting = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(continuation)
        let finish: @Sendable (Result<T, any Error>) -> Void = { result in
            waiting.withLockedValue { pending in
                defer { pending = nil }
                return pending
            }?.resume(with: result)
        }
        let work = Task {
            do { finish(.success(try await operation())) } catch { finish(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: limit)
            work.cancel()
            finish(.failure(TestSetupError("operation did not finish within \(limit)")))
        }
    }
}

/// Polls `condition` (state set by another task) for up to `limit`.
public func waitUntil(_ limit: Duration = .seconds(5), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TestSetupError("condition not met within \(limit)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Every way a value can end up in a log: description, debug description, `dump()`.
public func renderings(_ value: Any) -> [String] {
    var dumped = ""
    dump(value, to: &dumped)
    return [String(describing: value), String(reflecting: value), dumped]
}

/// A TCP server on loopback that plays a fixed part, for what a real Redis server cannot do
/// (send malformed bytes, accept and never answer).
public final class ScriptedServer: Sendable {
    public let channel: any Channel
    public var port: Int { channel.localAddress!.port! }

    /// `reply` is written back whenever the client sends anything; `nil` means never answer.
    public init(reply: [UInt8]?) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ScriptedHandler(reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    public func close() async {
        try? await channel.close()
    }
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reply: [UInt8]?
    init(reply: [UInt8]?) { self.reply = reply }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let reply else { return }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply)), promise: nil)
    }
}
