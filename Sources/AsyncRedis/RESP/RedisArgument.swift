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
    // Each argument is written with one `writeWithUnsafeMutableBytes` call: every separate ByteBuffer write pays a
    // uniqueness check, a capacity check and (in release builds too) a dynamic exclusivity check, which profiling
    // showed to be a third of the client's CPU time on a pipeline of GETs when each `$`, digit run and CRLF was
    // its own write.

    /// Writes `$<count>\r\n`, then lets `fill` store exactly `count` bytes, then `\r\n`: one bulk string.
    @inlinable
    mutating func writeRESPBulk(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        let digits = RESPWire.decimalDigitCount(UInt64(count))
        writeWithUnsafeMutableBytes(minimumWritableBytes: RESPWire.bulkSize(count: count, digits: digits)) {
            RESPWire.storeBulk(count: count, digits: digits, in: $0, fill)
        }
    }

    @inlinable
    mutating func writeRESPBulk(bytes: some Collection<UInt8>) {
        let written: Void? = bytes.withContiguousStorageIfAvailable { contiguous in
            writeRESPBulk(count: contiguous.count) { $0.copyMemory(from: UnsafeRawBufferPointer(contiguous)) }
        }
        if written == nil {
            writeRESPBulk(count: bytes.count) { target in
                for (index, byte) in bytes.enumerated() { target[index] = byte }
            }
        }
    }

    /// Writes a whole command, `*<n>` header included, as it goes on the wire.
    @inlinable
    public mutating func writeRedisCommand(_ command: String, _ arguments: [any RedisArgument]) {
        var command = command
        let count = UInt64(arguments.count + 1)
        let countDigits = RESPWire.decimalDigitCount(count)
        // The `*<n>` header and the command's name go in one write: a name is short and its length is known.
        command.withUTF8 { name in
            let nameDigits = RESPWire.decimalDigitCount(UInt64(name.count))
            let total = countDigits + 3 + RESPWire.bulkSize(count: name.count, digits: nameDigits)
            writeWithUnsafeMutableBytes(minimumWritableBytes: total) { pointer in
                let header = RESPWire.storeHeader(UInt8(ascii: "*"), count, digits: countDigits, in: pointer)
                let rest = UnsafeMutableRawBufferPointer(rebasing: pointer[header...])
                let bulk = RESPWire.storeBulk(count: name.count, digits: nameDigits, in: rest) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(name))
                }
                return header + bulk
            }
        }
        // Indexing borrows each argument in place; a `for in` loop would copy every existential out first.
        for index in arguments.indices {
            arguments[index].writeRESPBulk(into: &self)
        }
    }
}

/// Byte-level helpers of the RESP encoder.
@usableFromInline
enum RESPWire {
    @usableFromInline static let cr = UInt8(ascii: "\r")
    @usableFromInline static let lf = UInt8(ascii: "\n")

    @inlinable
    static func decimalDigitCount(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return digits
    }

    /// Stores `<prefix><value>\r\n` (`value` having `digits` digits) at the start of `pointer`; returns its length.
    @inlinable
    static func storeHeader(_ prefix: UInt8, _ value: UInt64, digits: Int, in pointer: UnsafeMutableRawBufferPointer)
        -> Int
    {
        pointer[0] = prefix
        storeDecimal(value, digits: digits, at: 1, in: pointer)
        pointer[digits + 1] = cr
        pointer[digits + 2] = lf
        return digits + 3
    }

    /// The size of `$<count>\r\n`, `count` bytes and `\r\n`, `count` having `digits` digits.
    @inlinable
    static func bulkSize(count: Int, digits: Int) -> Int { digits + count + 5 }

    /// Stores `$<count>\r\n`, lets `fill` store exactly `count` bytes, then stores `\r\n`, at the start of
    /// `pointer`; returns the length, `bulkSize(count:digits:)`.
    @inlinable
    static func storeBulk(
        count: Int, digits: Int, in pointer: UnsafeMutableRawBufferPointer,
        _ fill: (UnsafeMutableRawBufferPointer) -> Void
    ) -> Int {
        let header = storeHeader(UInt8(ascii: "$"), UInt64(count), digits: digits, in: pointer)
        fill(UnsafeMutableRawBufferPointer(rebasing: pointer[header..<(header + count)]))
        let total = bulkSize(count: count, digits: digits)
        pointer[total - 2] = cr
        pointer[total - 1] = lf
        return total
    }

    /// Stores the `digits` decimal digits of `value` at `offset`.
    @inlinable
    static func storeDecimal(_ value: UInt64, digits: Int, at offset: Int, in pointer: UnsafeMutableRawBufferPointer) {
        var remaining = value
        var index = offset + digits - 1
        while index >= offset {
            pointer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
    }
}

extension String: RedisArgument {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: utf8)
    }
}

extension Substring: RedisArgument {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        buffer.writeRESPBulk(bytes: utf8)
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
        withUnsafeReadableBytes { bytes in
            buffer.writeRESPBulk(count: bytes.count) { $0.copyMemory(from: bytes) }
        }
    }
}

extension RedisArgument where Self: FixedWidthInteger {
    @inlinable
    public func writeRESPBulk(into buffer: inout ByteBuffer) {
        let magnitude = UInt64(self.magnitude)
        let negative = self < 0
        let digits = RESPWire.decimalDigitCount(magnitude)
        buffer.writeRESPBulk(count: digits + (negative ? 1 : 0)) { target in
            if negative { target[0] = UInt8(ascii: "-") }
            RESPWire.storeDecimal(magnitude, digits: digits, at: negative ? 1 : 0, in: target)
        }
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
