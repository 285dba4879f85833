import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

@testable import AsyncRedis

/// The channel handler between the socket and the connection's state, on an `EmbeddedChannel`: bytes in, replies
/// out to the callers awaiting them, and every pending call failed when the stream breaks or the channel goes.
@Suite("RedisChannelHandler on an EmbeddedChannel")
struct ChannelHandlerTests {
    private typealias State = NIOLockedValueBox<ConnectionStateMachine>

    /// An active channel whose handler feeds `state`; `ready` is the handler's ready promise.
    private func makeChannel() throws -> (channel: EmbeddedChannel, state: State, ready: EventLoopFuture<Void>) {
        let channel = EmbeddedChannel()
        let state = State(ConnectionStateMachine(db: 0, allocator: channel.allocator))
        let ready = channel.eventLoop.makePromise(of: Void.self)
        try channel.pipeline.syncOperations.addHandler(
            RedisChannelHandler(
                state: state, parser: RESPDecoder(limits: .default), readyPromise: ready, waitsForTLS: false))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        return (channel, state, ready.futureResult)
    }

    /// What a caller gets once `start` has sent its command (with the continuation) and fed the channel.
    private func outcome(_ start: (ConnectionStateMachine.ReplyContinuation) -> Void) async
        -> Result<RESPValue, any Error>
    {
        do {
            return .success(try await withUnsafeThrowingContinuation { start($0) })
        } catch {
            return .failure(error)
        }
    }

    /// Sends `command` through the state, then feeds `chunks` to the channel, and returns what the caller got.
    private func reply(
        to command: String, _ arguments: [any RedisArgument], after chunks: [String], on channel: EmbeddedChannel,
        state: State
    ) async -> Result<RESPValue, any Error> {
        await outcome { continuation in
            _ = state.withLockedValue {
                $0.send(id: 0, command: command, arguments: arguments, effect: .none, continuation: continuation)
            }
            for chunk in chunks { _ = try? channel.writeInbound(ByteBuffer(string: chunk)) }
        }
    }

    @Test("an active channel without TLS is ready at once")
    func readyWithoutTLS() throws {
        let (channel, _, ready) = try makeChannel()
        defer { _ = try? channel.finish() }
        #expect(throws: Never.self) { try ready.wait() }
    }

    @Test("a reply split across reads answers its caller once it is whole; an error reply becomes a ReplyError")
    func splitReplyAndErrorReply() async throws {
        let (channel, state, _) = try makeChannel()
        defer { _ = try? channel.finish() }
        let value = await reply(to: "GET", ["k"], after: ["$5\r\nhe", "llo\r", "\n"], on: channel, state: state)
        #expect(try value.get() == .bulkString(ByteBuffer(string: "hello")))
        let failure = await reply(
            to: "INCR", ["k"], after: ["-ERR value is not an integer\r\n"], on: channel, state: state)
        #expect(throws: ReplyError.self) { try failure.get() }
        #expect(channel.isActive)
    }

    @Test("malformed bytes fail the pending call with ProtocolError and close the channel")
    func malformedBytesClose() async throws {
        let (channel, state, _) = try makeChannel()
        defer { _ = try? channel.finish() }
        let value = await reply(to: "GET", ["k"], after: ["?what\r\n"], on: channel, state: state)
        #expect(throws: ProtocolError.self) { try value.get() }
        #expect(!channel.isActive)
        // Later calls fail at once instead of waiting for a reply that cannot come.
        #expect(state.withLockedValue { $0.isClosed })
    }

    @Test("a channel that goes inactive fails the pending call with ConnectionClosedError")
    func inactiveFailsPending() async throws {
        let (channel, state, _) = try makeChannel()
        let value = await outcome { continuation in
            _ = state.withLockedValue {
                $0.send(id: 0, command: "GET", arguments: ["k"], effect: .none, continuation: continuation)
            }
            channel.pipeline.fireChannelInactive()
        }
        #expect(throws: ConnectionClosedError.self) { try value.get() }
        _ = try? channel.finish()
    }
}
