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
        let (channel, state, ready, _) = try makeChannelAndHandler()
        return (channel, state, ready)
    }

    private func makeChannelAndHandler() throws
        -> (channel: EmbeddedChannel, state: State, ready: EventLoopFuture<Void>, handler: any RedisOutboundFlushing)
    {
        let channel = EmbeddedChannel()
        let state = State(ConnectionStateMachine(db: 0, allocator: channel.allocator))
        let ready = channel.eventLoop.makePromise(of: Void.self)
        let handler = RedisChannelHandler(
            state: state, parser: RESPDecoder(limits: .default), readyPromise: ready, waitsForTLS: false)
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        return (channel, state, ready.futureResult, handler)
    }

    @Test("commands encoded by callers leave in one write when the handler flushes; their replies come back in order")
    func requestBytesOutRepliesIn() async throws {
        let (channel, state, _, handler) = try makeChannelAndHandler()
        defer { _ = try? channel.finish() }
        async let first = outcome { continuation in
            _ = state.withLockedValue {
                $0.send(id: 1, command: "SET", arguments: ["k", "v"], effect: .none, continuation: continuation)
            }
        }
        async let second = outcome { continuation in
            _ = state.withLockedValue {
                $0.send(id: 2, command: "GET", arguments: ["k"], effect: .none, continuation: continuation)
            }
        }
        // Both commands are queued once the state holds two pending replies.
        for _ in 0..<100_000 where state.withLockedValue({ $0.pendingCount }) < 2 { await Task.yield() }
        try #require(state.withLockedValue { $0.pendingCount } == 2)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "nothing is written before the flush")
        handler.flushOutbound(beforeScheduledFlush: false)
        var written = ByteBuffer()
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) { written.writeBuffer(&chunk) }
        let bytes = String(buffer: written)
        // The two commands in either order (two tasks), each whole, in one flush.
        let set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", get = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
        #expect(bytes == set + get || bytes == get + set)
        handler.flushOutbound(beforeScheduledFlush: false)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "a second flush has nothing more to write")
        try channel.writeInbound(ByteBuffer(string: "+OK\r\n$1\r\nv\r\n"))
        let replies = [try await first.get(), try await second.get()]
        // Whichever was queued first got +OK: replies are matched in the order the bytes were written.
        let setFirst = bytes.hasPrefix("*3")
        #expect(replies[setFirst ? 0 : 1] == .simpleString(ByteBuffer(string: "OK")))
        #expect(replies[setFirst ? 1 : 0] == .bulkString(ByteBuffer(string: "v")))
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
