import NIOCore

/// A key: text or arbitrary bytes. Made from a `String` (or a string literal), `[UInt8]` or `ByteBuffer`, and sent
/// as those bytes; keys of different storage compare by their bytes.
public struct RedisKey: Sendable, Hashable, RedisArgument, ExpressibleByStringLiteral, CustomStringConvertible {
    @usableFromInline
    enum Storage: Sendable {
        case text(String)
        case bytes(ByteBuffer)
    }

    @usableFromInline
    let storage: Storage

    /// A key spelled as text (sent as its UTF-8 bytes).
    @inlinable
    public init(_ text: String) { storage = .text(text) }

    /// A key of arbitrary bytes.
    public init(_ bytes: [UInt8]) { storage = .bytes(ByteBuffer(bytes: bytes)) }

    /// A key of arbitrary bytes, from a buffer (its readable bytes).
    public init(_ bytes: ByteBuffer) { storage = .bytes(bytes) }

    @inlinable
    public init(stringLiteral value: String) { storage = .text(value) }

    /// The key's bytes.
    public var bytes: [UInt8] {
        switch storage {
        case .text(let text): return Array(text.utf8)
        case .bytes(let buffer): return Array(buffer.readableBytesView)
        }
    }

    /// The key as text when it is valid UTF-8; `nil` for other bytes.
    public var string: String? {
        switch storage {
        case .text(let text): return text
        case .bytes(let buffer): return String(validating: buffer.readableBytesView, as: UTF8.self)
        }
    }

    /// The text, or the bytes in hex for a key that is not UTF-8.
    public var description: String {
        string ?? bytes.map { String($0, radix: 16) }.joined(separator: " ")
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.text(let left), .text(let right)): return left.utf8.elementsEqual(right.utf8)
        default: return lhs.bytes == rhs.bytes
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .text(let text): text.utf8.forEach { hasher.combine($0) }
        case .bytes(let buffer): buffer.readableBytesView.forEach { hasher.combine($0) }
        }
    }

    // MARK: RedisArgument

    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        switch storage {
        case .text(let text): text.writeRESPBulk(into: &buffer)
        case .bytes(let bytes): bytes.writeRESPBulk(into: &buffer)
        }
    }

    @inlinable
    public var respPayloadCount: Int? {
        switch storage {
        case .text(let text): return text.utf8.count
        case .bytes(let bytes): return bytes.readableBytes
        }
    }

    @inlinable
    public func storeRESPPayload(in target: UnsafeMutableRawBufferPointer) {
        switch storage {
        case .text(let text): text.storeRESPPayload(in: target)
        case .bytes(let bytes): bytes.storeRESPPayload(in: target)
        }
    }
}
