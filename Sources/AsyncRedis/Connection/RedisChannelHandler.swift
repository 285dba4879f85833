import NIOConcurrencyHelpers
import NIOCore
import NIOTLS

/// Reads replies off the socket and hands each to the connection's state; fails everything when the channel
/// goes away or the byte stream is malformed. Writes bypass it: the connection writes encoded bytes directly.
final class RedisChannelHandler<Parser: RESPParser>: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

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

    init(state: NIOLockedValueBox<ConnectionStateMachine>, parser: Parser, readyPromise: EventLoopPromise<Void>,
         waitsForTLS: Bool) {
        self.state = state
        self.parser = parser
        self.readyPromise = readyPromise
        self.waitsForTLS = waitsForTLS
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
