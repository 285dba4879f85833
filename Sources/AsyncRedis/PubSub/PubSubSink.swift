/// Where a `PubSubChannel` hands its messages and its end: the channel's own `PubSubChannelBuffer`, or the
/// `Receiver` that made it.
///
/// The flow is one-way, channel to sink: a sink never calls into a channel. What must then happen to channels
/// (their subscriptions ended after an overflow) it returns to the channel that called it.
protocol PubSubSink: AnyObject, Sendable {
    /// Queues `message`, which arrived through `channel`. Returns the channels whose subscriptions must end because
    /// this message overflowed the sink; empty otherwise (no allocation).
    func put(_ message: PubSubMessage, from channel: PubSubChannel) -> [PubSubChannel]

    /// `channel` closed, unsubscribed (`nil`) or lost (the error); called once per channel.
    func channelClosed(_ channel: PubSubChannel, error: (any Error)?)
}
