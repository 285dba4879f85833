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
        writeRESPBulk(count: bytes.count) { RESPWire.store(bytes, in: $0) }
    }

    /// Writes a whole command, `*<n>` header included, as it goes on the wire.
    ///
    /// When every argument knows its payload's length (`respPayloadCount`), the whole command is stored in one
    /// `writeWithUnsafeMutableBytes`; otherwise the header and name go in one and each argument writes itself.
    @inlinable
    public mutating func writeRedisCommand(_ command: String, _ arguments: [any RedisArgument]) {
        let headerSize = RESPWire.commandHeaderSize(command, argumentCount: arguments.count)
        let argumentsSize = RESPWire.argumentsSize(arguments)
        // The closure sees the arguments through a buffer pointer, never the array: an array a closure captures
        // counts as escaping, and a caller's `execute("GET", key)` would then put its argument array on the heap
        // instead of the stack.
        arguments.withUnsafeBufferPointer { arguments in
            _ = writeWithUnsafeMutableBytes(minimumWritableBytes: headerSize + (argumentsSize ?? 0)) { pointer in
                let offset = RESPWire.storeCommandHeader(command, argumentCount: arguments.count, in: pointer)
                guard argumentsSize != nil else { return offset }
                let rest = UnsafeMutableRawBufferPointer(rebasing: pointer[offset...])
                return offset + RESPWire.storeArguments(arguments, in: rest)
            }
        }
        guard argumentsSize == nil else { return }
        for index in arguments.indices {
            arguments[index].writeRESPBulk(into: &self)
        }
    }

    /// Writes the commands of a pipeline, as `writeRedisCommand` would one after another; when every argument of
    /// every command knows its payload's length, the whole pipeline is stored in one buffer access.
    mutating func writeRedisCommands(_ commands: [(command: String, arguments: [any RedisArgument])]) {
        var size = 0
        for index in commands.indices {
            guard let argumentsSize = RESPWire.argumentsSize(commands[index].arguments) else {
                for index in commands.indices {
                    writeRedisCommand(commands[index].command, commands[index].arguments)
                }
                return
            }
            size += RESPWire.commandHeaderSize(commands[index].command, argumentCount: commands[index].arguments.count)
                + argumentsSize
        }
        // The pipeline's array is on the heap whatever the closure does, and reading the arguments through it
        // borrows them in place.
        writeWithUnsafeMutableBytes(minimumWritableBytes: size) { pointer in
            var offset = 0
            for index in commands.indices {
                offset += RESPWire.storeCommandHeader(
                    commands[index].command, argumentCount: commands[index].arguments.count,
                    in: UnsafeMutableRawBufferPointer(rebasing: pointer[offset...]))
                offset += RESPWire.storeArguments(
                    commands[index].arguments, in: UnsafeMutableRawBufferPointer(rebasing: pointer[offset...]))
            }
            return offset
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

    /// The size of a command's `*<n>` header and its name as a bulk string.
    @inlinable
    static func commandHeaderSize(_ command: String, argumentCount: Int) -> Int {
        let nameCount = command.utf8.count
        return decimalDigitCount(UInt64(argumentCount + 1)) + 3
            + bulkSize(count: nameCount, digits: decimalDigitCount(UInt64(nameCount)))
    }

    /// Stores a command's `*<n>` header and its name; returns their size, `commandHeaderSize`.
    @inlinable
    static func storeCommandHeader(_ command: String, argumentCount: Int, in pointer: UnsafeMutableRawBufferPointer)
        -> Int
    {
        let count = UInt64(argumentCount + 1)
        let header = storeHeader(UInt8(ascii: "*"), count, digits: decimalDigitCount(count), in: pointer)
        let name = command.utf8
        return header
            + storeBulk(
                count: name.count, digits: decimalDigitCount(UInt64(name.count)),
                in: UnsafeMutableRawBufferPointer(rebasing: pointer[header...])
            ) { store(name, in: $0) }
    }

    /// The size of the arguments as bulk strings, or `nil` when one does not know its payload's length.
    @inlinable
    static func argumentsSize(_ arguments: [any RedisArgument]) -> Int? {
        var size = 0
        // Indexing borrows each argument in place; a `for in` loop would copy every existential out first.
        for index in arguments.indices {
            guard let payload = arguments[index].respPayloadCount else { return nil }
            size += bulkSize(count: payload, digits: decimalDigitCount(UInt64(payload)))
        }
        return size
    }

    /// Stores the arguments as bulk strings (each must know its payload's length); returns their size.
    @inlinable
    static func storeArguments(
        _ arguments: some RandomAccessCollection<any RedisArgument>, in pointer: UnsafeMutableRawBufferPointer
    ) -> Int {
        var offset = 0
        for index in arguments.indices {
            let payload = arguments[index].respPayloadCount!
            offset += storeBulk(
                count: payload, digits: decimalDigitCount(UInt64(payload)),
                in: UnsafeMutableRawBufferPointer(rebasing: pointer[offset...])
            ) { arguments[index].storeRESPPayload(in: $0) }
        }
        return offset
    }

    /// Stores `bytes`, which are exactly as many as `target` holds, in `target`.
    @inlinable
    static func store(_ bytes: some Collection<UInt8>, in target: UnsafeMutableRawBufferPointer) {
        let stored: Void? = bytes.withContiguousStorageIfAvailable {
            target.copyMemory(from: UnsafeRawBufferPointer($0))
        }
        if stored == nil {
            for (index, byte) in bytes.enumerated() { target[index] = byte }
        }
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
