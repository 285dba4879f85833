import NIOCore

/// A reply parser a connection can be given (aioredis's `parser=` hook, shaped like `hiredis.Reader`):
/// bytes are fed as they arrive and complete replies are taken out one at a time.
public protocol RESPParser: Sendable {
    /// - Parameter maximumLength: the longest bulk payload or aggregate a reply may announce.
    init(maximumLength: Int)

    /// Appends bytes read from the socket.
    mutating func feed(_ bytes: ByteBuffer)

    /// The next complete reply, or `nil` when more bytes are needed.
    /// Throws `ProtocolError` on malformed input; the parser is unusable afterwards.
    mutating func next() throws -> RESPValue?
}

extension RESPParser {
    /// Redis's own `proto-max-bulk-len` default: 512 MB.
    public static var defaultMaximumLength: Int { 512 * 1024 * 1024 }
}
