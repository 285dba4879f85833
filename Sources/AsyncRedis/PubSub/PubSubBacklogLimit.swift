/// How far a consumer may fall behind its publishers: a number of messages and a number of bytes, whichever is
/// reached first. Counting messages alone lets small bounds hold gigabytes once payloads are large.
struct PubSubBacklogLimit: Sendable {
    let maxMessages: Int
    let maxBytes: Int

    init(maxMessages: Int, maxBytes: Int) {
        self.maxMessages = Swift.max(1, maxMessages)
        self.maxBytes = Swift.max(1, maxBytes)
    }

    /// What a queued message is counted as: its payload and names, plus a fixed allowance for the message itself.
    static func footprint(of message: PubSubMessage) -> Int {
        message.payload.readableBytes + message.channel.utf8.count + (message.pattern?.utf8.count ?? 0) + 64
    }

    /// Whether a message of `footprint` bytes may join a backlog of `count` messages holding `bytes` bytes.
    func admits(_ footprint: Int, count: Int, bytes: Int) -> Bool {
        count < maxMessages && bytes + footprint <= maxBytes
    }

    /// The error a consumer gets once it has read what was queued before the overflow.
    func overflowError(_ subject: String, count: Int, bytes: Int) -> ChannelClosedError {
        ChannelClosedError(
            "\(subject) closed: the consumer fell behind by \(count) messages (\(bytes) bytes) and the bound is "
                + "\(maxMessages) messages or \(maxBytes) bytes",
            cause: PubSubOverflowError("more than \(maxMessages) messages or \(maxBytes) bytes buffered"))
    }
}
