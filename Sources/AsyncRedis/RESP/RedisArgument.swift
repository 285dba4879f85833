import NIOCore

/// A value that can be sent as one argument of a Redis command.
///
/// Conformers write themselves as a RESP bulk string straight into the outbound buffer: no intermediate
/// `String` or array is built. `Bool` deliberately does not conform (Redis has no single spelling for it),
/// and neither does `Optional`: a `nil` argument cannot compile.
public protocol RedisArgument: Sendable {
    /// Writes `$<length>\r\n<bytes>\r\n`.
    func writeRESPBulk(into buffer: inout ByteBuffer)
}

extension ByteBuffer {
    /// Writes the decimal digits of `value` without building a `String`.
    @inlinable
    mutating func writeDecimal(_ value: Int64) {
        if value < 0 {
            writeInteger(UInt8(ascii: "-"))
            writeDecimal(magnitude: value.magnitude)
        } else {
            writeDecimal(magnitude: UInt64(value))
        }
    }

    @inlinable
    mutating func writeDecimal(magnitude value: UInt64) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var remaining = value
        writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { pointer in
            var index = digits - 1
            while index >= 0 {
                pointer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                index -= 1
            }
            return digits
        }
    }

    @inlinable
    mutating func writeRESPBulkHeader(length: Int) {
        writeInteger(UInt8(ascii: "$"))
        writeDecimal(magnitude: UInt64(length))
        writeInteger(UInt16(0x0D0A))
    }

    @inlinable
    mutating func writeRESPBulk(bytes: some Collection<UInt8>) {
        writeRESPBulkHeader(length: bytes.count)
        writeBytes(bytes)
        writeInteger(UInt16(0x0D0A))
    }

    /// Writes a whole command, `*<n>` header included, as it goes on the wire.
    @inlinable
    public mutating func writeRedisCommand(_ command: String, _ arguments: [any RedisArgument]) {
        writeInteger(UInt8(ascii: "*"))
        writeDecimal(magnitude: UInt64(arguments.count + 1))
        writeInteger(UInt16(0x0D0A))
        command.writeRESPBulk(into: &self)
        for argument in arguments {
            argument.writeRESPBulk(into: &self)
        }
    }
}

extension String: RedisArgument {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulkHeader(length: utf8.count)
        buffer.writeString(self)
        buffer.writeInteger(UInt16(0x0D0A))
    }
}

extension Substring: RedisArgument {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulkHeader(length: utf8.count)
        buffer.writeSubstring(self)
        buffer.writeInteger(UInt16(0x0D0A))
    }
}

extension Array: RedisArgument where Element == UInt8 {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: self)
    }
}

extension ArraySlice: RedisArgument where Element == UInt8 {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: self)
    }
}

extension ByteBuffer: RedisArgument {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulkHeader(length: readableBytes)
        buffer.writeImmutableBuffer(self)
        buffer.writeInteger(UInt16(0x0D0A))
    }
}

extension RedisArgument where Self: FixedWidthInteger {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        // The header needs the length, so the digits are counted before they are written.
        let magnitude = UInt64(self.magnitude)
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let negative = self < 0
        buffer.writeRESPBulkHeader(length: digits + (negative ? 1 : 0))
        if negative { buffer.writeInteger(UInt8(ascii: "-")) }
        buffer.writeDecimal(magnitude: magnitude)
        buffer.writeInteger(UInt16(0x0D0A))
    }
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
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        Double(self).writeRESPBulk(into: &buffer)
    }
}
