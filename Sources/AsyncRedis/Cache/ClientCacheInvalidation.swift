import NIOCore

/// What an `invalidate` push says: `>2 invalidate [keys...]`, or `>2 invalidate _` when the server flushed
/// (FLUSHALL, FLUSHDB) and every key is invalid.
enum ClientCacheInvalidation: Equatable {
    case keys([ByteBuffer])
    case everything
    /// Not a push: the tracking connection was lost or replaced, so invalidations may have been missed.
    case trackingReset

    /// Whether a push's first element names an invalidation (compared without building a `String`).
    static func isInvalidate(_ name: RESPValue) -> Bool {
        guard let bytes = name.bytes, bytes.readableBytes == 10 else { return false }
        return bytes.withUnsafeReadableBytes { $0.elementsEqual("invalidate".utf8) { $0 | 0x20 == $1 } }
    }

    /// The invalidation a push's second element describes; a shape Redis does not send invalidates everything
    /// (losing entries is safe, keeping stale ones is not).
    init(_ keys: RESPValue) {
        switch keys {
        case .array(.some(let items)), .set(let items), .push(let items):
            let names = items.compactMap(\.bytes)
            self = names.count == items.count ? .keys(names) : .everything
        default:
            self = .everything
        }
    }
}
