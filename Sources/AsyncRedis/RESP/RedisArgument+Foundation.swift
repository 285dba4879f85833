#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

extension Data: RedisArgument {
    /// Writes the bytes as one RESP bulk string.
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: self)
    }
}
