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
        parser.feed(unwrapInboundIn(data))
        var protocolError: (any Error)?
        do {
            while let reply = try parser.next() {
                replies.append(reply)
            }
        } catch {
            protocolError = error as? ProtocolError ?? ProtocolError("malformed reply: \(error)")
        }
        if !replies.isEmpty {
            state.withLockedValue { state in
                for reply in replies {
                    do {
                        try state.receive(reply, into: &actions)
                    } catch {
                        protocolError = protocolError ?? error
                        break
                    }
                }
            }
            replies.removeAll(keepingCapacity: true)
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

    private func runActions() {
        guard !actions.isEmpty else { return }
        // Resuming a continuation only schedules its task, so nothing re-enters this handler meanwhile.
        for action in actions { action.run() }
        actions.removeAll(keepingCapacity: true)
    }
}
