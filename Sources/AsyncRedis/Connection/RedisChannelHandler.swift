import NIOConcurrencyHelpers
import NIOCore
import NIOTLS

/// Writes what the connection's callers encoded, on the event loop: the one thing a connection asks of its channel
/// handler (through `NIOLoopBound`, so only ever on the loop).
protocol RedisOutboundFlushing: AnyObject {
    /// Writes and flushes everything encoded since the last flush (see `ConnectionStateMachine.takeOutbound`).
    func flushOutbound(beforeScheduledFlush: Bool)
}

/// The connection's socket I/O, both ways: reads replies off the socket and hands each to the connection's state,
/// runs the actions the state returns, and writes what callers encoded into the state's outbound buffer. Fails
/// everything when the channel goes away or the byte stream is malformed.
///
/// Callers encode on their own thread, under the state's lock (no hop to the loop per command); the first
/// command of a batch schedules one `flushOutbound` on the loop, which writes the whole batch.
final class RedisChannelHandler<Parser: RESPParser>: ChannelDuplexHandler, RemovableChannelHandler,
    RedisOutboundFlushing
{
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let state: NIOLockedValueBox<ConnectionStateMachine>
    private var parser: Parser
    /// Reused between reads so a burst of replies costs no allocation.
    private var replies: [RESPValue] = []
    private var actions: [ConnectionStateMachine.Action] = []
    /// The first error seen, reported as the cause when the channel closes.
    private var closeCause: (any Error)?
    /// Completed when TLS is up (or at once without TLS), failed if the channel dies first.
    let readyPromise: EventLoopPromise<Void>
    private let waitsForTLS: Bool
    /// Set while the handler is in the pipeline: where `flushOutbound` writes.
    private var context: ChannelHandlerContext?

    init(state: NIOLockedValueBox<ConnectionStateMachine>, parser: Parser, readyPromise: EventLoopPromise<Void>,
         waitsForTLS: Bool) {
        self.state = state
        self.parser = parser
        self.readyPromise = readyPromise
        self.waitsForTLS = waitsForTLS
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func flushOutbound(beforeScheduledFlush: Bool) {
        guard let context,
            var bytes = state.withLockedValue({ $0.takeOutbound(beforeScheduledFlush: beforeScheduledFlush) })
        else { return }
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        // A write that completed at once has released the buffer, so clearing it keeps its storage and it serves
        // as the next outbound buffer. (After a partial write, clearing allocates: no worse than not recycling.)
        bytes.clear()
        state.withLockedValue { $0.recycleOutbound(bytes) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if !waitsForTLS { readyPromise.succeed() }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            readyPromise.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var protocolError = Self.parse(unwrapInboundIn(data), with: &parser, into: &replies)
        if !replies.isEmpty {
            let deliveryError = Self.deliver(&replies, to: state, into: &actions)
            protocolError = protocolError ?? deliveryError
            runActions()
        }
        if let protocolError {
            // The stream can no longer be trusted: everything pending fails with the protocol error.
            closeCause = protocolError
            state.withLockedValue { $0.close(error: protocolError, into: &actions) }
            runActions()
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if closeCause == nil { closeCause = error }
        readyPromise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error = ConnectionClosedError("connection to the server was lost", cause: closeCause)
        readyPromise.fail(error)
        state.withLockedValue { $0.close(error: error, into: &actions) }
        runActions()
        context.fireChannelInactive()
    }

    // The two loops below take the handler's stored properties as `inout` arguments: a class's stored property is
    // exclusivity-checked at run time on every access, so touching `parser` once per reply was measurable.

    /// Feeds `bytes` and collects every complete reply; returns the protocol error that stopped parsing, if any.
    private static func parse(_ bytes: ByteBuffer, with parser: inout Parser, into replies: inout [RESPValue])
        -> (any Error)?
    {
        parser.feed(bytes)
        do {
            try parser.nextReplies(into: &replies)
            return nil
        } catch {
            return error as? ProtocolError ?? ProtocolError("malformed reply: \(error)")
        }
    }

    /// Hands `replies` to the connection's state, under one lock, and empties them; returns the error of a reply
    /// the state could not match to a command.
    private static func deliver(
        _ replies: inout [RESPValue], to state: NIOLockedValueBox<ConnectionStateMachine>,
        into actions: inout [ConnectionStateMachine.Action]
    ) -> (any Error)? {
        state.withLockedValue { state -> (any Error)? in
            do {
                try state.receive(&replies, into: &actions)
                return nil
            } catch {
                return error
            }
        }
    }

    private func runActions() {
        guard !actions.isEmpty else { return }
        // Resuming a continuation only schedules its task, so nothing re-enters this handler meanwhile.
        for action in actions { action.run() }
        actions.removeAll(keepingCapacity: true)
    }
}
