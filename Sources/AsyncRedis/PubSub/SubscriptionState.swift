/// A connection's Pub/Sub side: the subscriptions the server confirmed, the subscribe-family commands still being
/// confirmed, the protocol's Pub/Sub mode, and who takes what the server sends unasked. The connection's state
/// asks it what a frame means and gets actions back; it does no I/O.
struct SubscriptionState {
    typealias Action = ConnectionStateMachine.Action

    /// The subscriptions the server confirmed on this connection.
    private(set) var subscriptions = SubscriptionTable()
    /// Subscribe-family commands written and not fully confirmed; they put a RESP2 connection in Pub/Sub mode.
    private var unconfirmedCommands = 0
    /// True after `HELLO 3`: Pub/Sub messages arrive as pushes and other commands stay allowed.
    var isRESP3 = false
    /// False for a resubscribing subscriber's connection: its channels outlive it and are subscribed again on
    /// the next connection, so losing this one must not close them.
    var closesChannelsOnLoss = true
    /// Sends the unsubscribe command of a kind for one name: given to each channel this connection subscribes, for
    /// when its consumer falls too far behind (set by `RedisConnection`).
    var unsubscribeAfterOverflow: (@Sendable (PubSubCommandKind, String) -> Void)?
    /// Takes over the shard channels the server unsubscribes on its own (set by a cluster client, which subscribes
    /// them again on the slot's new node); without it they close.
    var shardChannelMoved: (@Sendable (PubSubChannel) -> Void)?
    /// Receives the keys of `invalidate` pushes (a client cache's tracking connection); without it they are dropped.
    var invalidationHandler: (@Sendable (RESPValue) -> Void)?

    /// RESP2 connections in Pub/Sub mode accept only Pub/Sub commands.
    var isInRESP2PubSubMode: Bool {
        !isRESP3 && (!subscriptions.isEmpty || unconfirmedCommands > 0)
    }

    /// Whether a RESP2 array may be a Pub/Sub frame: only once subscribed or when a Pub/Sub command is next in
    /// line, so an ordinary reply that happens to start with "message" is never taken for one.
    func isReadingRESP2PubSub(headIsPubSub: Bool) -> Bool {
        !isRESP3 && (!subscriptions.isEmpty || headIsPubSub)
    }

    /// How many confirmations a Pub/Sub command sent with `count` names brings: one per name; without names, an
    /// unsubscribe confirms every subscription of its kind, or sends one confirmation when there is none.
    func confirmationsExpected(_ kind: PubSubCommandKind, _ count: Int) -> Int {
        guard count == 0, !kind.subscribes else { return count }
        return Swift.max(1, subscriptions[SubscriptionFamily(kind)].count)
    }

    mutating func commandWritten() { unconfirmedCommands += 1 }
    mutating func commandFinished() { unconfirmedCommands -= 1 }

    /// What a push or Pub/Sub array that is no Pub/Sub frame becomes: an invalidation for the client cache, or
    /// nothing (other pushes are not replies).
    func unframedPush(_ items: [RESPValue], into actions: inout [Action]) {
        if let handler = invalidationHandler, items.count == 2, ClientCacheInvalidation.isInvalidate(items[0]) {
            actions.append(.invalidate(handler, items[1]))
        }
    }

    /// A message for the channel subscribed under its name, if any.
    func deliver(_ frame: PubSubFrame, into actions: inout [Action]) {
        switch frame {
        case .message(let channel, let payload):
            if let target = subscriptions[.channel, channel] {
                actions.append(.deliver(target, PubSubMessage(channel: channel, payload: payload)))
            }
        case .patternMessage(let pattern, let channel, let payload):
            if let target = subscriptions[.pattern, pattern] {
                actions.append(.deliver(target, PubSubMessage(channel: channel, pattern: pattern, payload: payload)))
            }
        case .shardMessage(let channel, let payload):
            if let target = subscriptions[.shardChannel, channel] {
                actions.append(.deliver(target, PubSubMessage(channel: channel, payload: payload)))
            }
        case .confirmation:
            break
        }
    }

    /// Registers or removes the subscription a confirmation names. `offered`: the channel object the command
    /// brought for that name; `solicited`: whether a command of this kind awaits it (else the server acted alone).
    mutating func confirm(
        kind: PubSubCommandKind, name: String, offered: PubSubChannel?, solicited: Bool, into actions: inout [Action]
    ) {
        let family = SubscriptionFamily(kind)
        if kind.subscribes {
            // A name already registered keeps its channel, and that channel's consumer keeps reading (aioredis
            // registers a channel only when its name is new).
            let (channel, isNew) = subscriptions.channel(family, named: name) {
                offered ?? PubSubChannel(name: name, isPattern: kind.isPattern)
            }
            if isNew, let unsubscribe = unsubscribeAfterOverflow, let undo = kind.undoingKind {
                channel.unsubscribesOnOverflow { unsubscribe(undo, name) }
            }
        } else if let removed = subscriptions[family, name] {
            subscriptions[family, name] = nil
            if kind == .sunsubscribe, !solicited, let handler = shardChannelMoved {
                actions.append(.shardChannelMoved(removed, handler))
            } else {
                actions.append(.closeChannel(removed, nil))
            }
        }
    }

    /// The connection closed with `error`: every channel closes with it, unless they outlive the connection.
    mutating func close(error: any Error, into actions: inout [Action]) {
        unconfirmedCommands = 0
        let channels = subscriptions.removeAll()
        guard closesChannelsOnLoss else { return }
        let channelError = ChannelClosedError("subscription ended: \(error)", cause: error)
        for channel in channels { actions.append(.closeChannel(channel, channelError)) }
    }
}
