import NIOCore

/// A reply parser a connection can be given (aioredis's `parser=` hook, shaped like `hiredis.Reader`):
/// bytes are fed as they arrive and complete replies are taken out one at a time.
public protocol RESPParser: Sendable {
    /// - Parameter maximumLength: the longest bulk payload or aggregate a reply may announce.
    init(maximumLength: Int)

    /// A parser bounded by `limits` (see `RESPLimits`). The default implementation calls `init(maximumLength:)`
    /// with the bulk limit, so a parser that only knows that one still works; it is then unbounded in depth.
    init(limits: RESPLimits)

    /// Appends bytes read from the socket.
    mutating func feed(_ bytes: ByteBuffer)

    /// The next complete reply, or `nil` when more bytes are needed.
    /// Throws `ProtocolError` on malformed input; the parser is unusable afterwards.
    mutating func next() throws -> RESPValue?

    /// Appends every complete reply to `replies`, in order: what calling `next` until it returns `nil` gives.
    /// A parser may do it faster than reply by reply; the default calls `next`. Throws as `next` does, after
    /// appending the replies that came before the malformed one.
    mutating func nextReplies(into replies: inout [RESPValue]) throws
}

extension RESPParser {
    /// A parser honouring the bulk length limit only.
    public init(limits: RESPLimits) {
        self.init(maximumLength: limits.maximumBulkLength)
    }

    /// Appends replies by calling `next()` until it returns nil.
    public mutating func nextReplies(into replies: inout [RESPValue]) throws {
        while let reply = try next() {
            replies.append(reply)
        }
    }

    /// Redis's own `proto-max-bulk-len` default: 512 MB.
    public static var defaultMaximumLength: Int { RESPLimits.defaultMaximumBulkLength }
}
