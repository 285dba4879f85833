import NIOCore

/// A value that can be sent as one argument of a Redis command.
///
/// Conformers write themselves as a RESP bulk string straight into the outbound buffer: no intermediate
/// `String` or array is built. `Bool` deliberately does not conform (Redis has no single spelling for it),
/// and neither does `Optional`: a `nil` argument cannot compile.
public protocol RedisArgument: Sendable {
    /// Writes `$<length>\r\n<bytes>\r\n`.
    func writeRESPBulk(into buffer: inout ByteBuffer)

    /// The length of the payload `writeRESPBulk` writes, when it is known without encoding; `nil` (the default)
    /// otherwise. A command whose arguments all know it is encoded in a single buffer access, through
    /// `storeRESPPayload`, instead of one `writeRESPBulk` call per argument.
    var respPayloadCount: Int? { get }

    /// Stores the payload, exactly `respPayloadCount` bytes, in `target`, which holds that many. Called only when
    /// `respPayloadCount` is not `nil`: a type that reports a count must implement it.
    func storeRESPPayload(in target: UnsafeMutableRawBufferPointer)
}

extension RedisArgument {
    /// The bulk string's length in bytes, known without encoding it (`nil`: unknown).
    @inlinable
    public var respPayloadCount: Int? { nil }

    /// Copies the bulk string's bytes into `target`, exactly `respPayloadCount` of them.
    public func storeRESPPayload(in target: UnsafeMutableRawBufferPointer) {
        preconditionFailure("\(Self.self) reports no respPayloadCount: its payload is written by writeRESPBulk")
    }
}

extension String: RedisArgument {
    /// Writes the value as one RESP bulk string.
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: utf8)
    }

    /// The bulk string's length in bytes, known without encoding it (`nil`: unknown).
    @inlinable
    public var respPayloadCount: Int? { utf8.count }

    /// Copies the bulk string's bytes into `target`, exactly `respPayloadCount` of them.
    @inlinable
    public func storeRESPPayload(in target: UnsafeMutableRawBufferPointer) {
        RESPWire.store(utf8, in: target)
    }
}

extension Substring: RedisArgument {
    /// Writes the value as one RESP bulk string.
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: utf8)
    }

    /// The bulk string's length in bytes, known without encoding it (`nil`: unknown).
    @inlinable
    public var respPayloadCount: Int? { utf8.count }

    /// Copies the bulk string's bytes into `target`, exactly `respPayloadCount` of them.
    @inlinable
    public func storeRESPPayload(in target: UnsafeMutableRawBufferPointer) {
        RESPWire.store(utf8, in: target)
    }
}

extension Array: RedisArgument where Element == UInt8 {
    /// Writes the value as one RESP bulk string.
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: self)
    }

    /// The bulk string's length in bytes, known without encoding it (`nil`: unknown).
    @inlinable
    public var respPayloadCount: Int? { count }

    /// Copies the bulk string's bytes into `target`, exactly `respPayloadCount` of them.
    @inlinable
    public func storeRESPPayload(in target: UnsafeMutableRawBufferPointer) {
        RESPWire.store(self, in: target)
    }
}

extension ArraySlice: RedisArgument where Element == UInt8 {
    /// Writes the value as one RESP bulk string.
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: self)
    }

    /// The bulk string's length in bytes, known without encoding it (`nil`: unknown).
    @inlinable
    public var respPayloadCount: Int? { count }

    /// Copies the bulk string's bytes into `target`, exactly `respPayloadCount` of them.
    @inlinable
    public func storeRESPPayload(in target: UnsafeMutableRawBufferPointer) {
        RESPWire.store(self, in: target)
    }
}

extension ByteBuffer: RedisArgument {
    /// Writes the value as one RESP bulk string.
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(count: readableBytes) { storeRESPPayload(in: $0) }
    }

    /// The bulk string's length in bytes, known without encoding it (`nil`: unknown).
    @inlinable
    public var respPayloadCount: Int? { readableBytes }

    /// Copies the bulk string's bytes into `target`, exactly `respPayloadCount` of them.
    @inlinable
    public func storeRESPPayload(in target: UnsafeMutableRawBufferPointer) {
        withUnsafeReadableBytes { target.copyMemory(from: $0) }
    }
}

extension RedisArgument where Self: FixedWidthInteger {
    /// Writes the value as one RESP bulk string.
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(count: respDecimalCount) { storeRESPPayload(in: $0) }
    }

    /// The bulk string's length in bytes, known without encoding it (`nil`: unknown).
    @inlinable
    public var respPayloadCount: Int? { respDecimalCount }

    /// Copies the bulk string's bytes into `target`, exactly `respPayloadCount` of them.
    @inlinable
    public func storeRESPPayload(in target: UnsafeMutableRawBufferPointer) {
        let magnitude = UInt64(self.magnitude)
        let negative = self < 0
        if negative { target[0] = UInt8(ascii: "-") }
        RESPWire.storeDecimal(
            magnitude, digits: RESPWire.decimalDigitCount(magnitude), at: negative ? 1 : 0, in: target)
    }

    /// The length of the integer in decimal, its sign included.
    @inlinable
    var respDecimalCount: Int { RESPWire.decimalDigitCount(UInt64(magnitude)) + (self < 0 ? 1 : 0) }
}

extension Int: RedisArgument {}
extension Int8: RedisArgument {}
extension Int16: RedisArgument {}
extension Int32: RedisArgument {}
extension Int64: RedisArgument {}
extension UInt: RedisArgument {}
extension UInt8: RedisArgument {}
extension UInt16: RedisArgument {}
extension UInt32: RedisArgument {}
extension UInt64: RedisArgument {}

extension Double: RedisArgument {
    /// Spelled as Redis parses it: `inf`, `-inf`, or the shortest decimal that round-trips.
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        let text: String
        if self == .infinity {
            text = "inf"
        } else if self == -.infinity {
            text = "-inf"
        } else if self == rounded(), abs(self) < 1e15 {
            text = String(Int64(self))
        } else {
            text = String(self)
        }
        text.writeRESPBulk(into: &buffer)
    }
}

extension Float: RedisArgument {
    /// Writes the value as one RESP bulk string.
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        Double(self).writeRESPBulk(into: &buffer)
    }
}
