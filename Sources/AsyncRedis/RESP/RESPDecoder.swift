import NIOCore

/// The built-in incremental RESP2/RESP3 parser.
///
/// It keeps where it stopped: aggregates under construction live on a stack, an announced bulk length is
/// remembered while its payload is still arriving, and the search for a line's CRLF resumes where it left off.
/// So bytes are never scanned twice, whatever the split of the stream (one byte at a time included).
public struct RESPDecoder: RESPParser {
    private enum AggregateKind {
        case array, set, map, push, attribute
    }

    private struct Aggregate {
        var kind: AggregateKind
        /// Elements still expected (a map of n pairs expects 2n).
        var remaining: Int
        var elements: [RESPValue]
    }

    private enum BulkKind {
        case bulkString, blobError, verbatim
    }

    private var buffer = ByteBuffer()
    private var stack: [Aggregate] = []
    /// Set once a bulk header is read: the payload (plus CRLF) is awaited.
    private var pendingBulk: (kind: BulkKind, length: Int)?
    /// How many bytes of the current line were already searched for its end.
    private var scannedLineBytes = 0
    /// Attributes that completed and wait for the value they annotate, with the nesting depth of that value.
    private var attributesAwaitingValue: [(depth: Int, pairs: [RESPPair])] = []
    private let limits: RESPLimits
    private var failed = false
    /// Whether slices of `buffer` were handed out since it was last replaced (see `feed`).
    private var handedOutSlices = false
    /// Room for the header of the reply that follows a bulk payload.
    private let lineHeadroom = 64

    /// A decoder enforcing `limits`.
    public init(limits: RESPLimits) {
        self.limits = limits
    }

    /// A parser whose bulk and aggregate lengths are both bounded by `maximumLength`, the other limits default.
    public init(maximumLength: Int = Self.defaultMaximumLength) {
        self.init(limits: RESPLimits(maximumBulkLength: maximumLength, maximumAggregateLength: maximumLength))
    }

    /// A decoder with the default limits.
    public init() {
        self.init(limits: .default)
    }

    /// Appends bytes read from the socket.
    public mutating func feed(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 {
            // Adopting the read buffer keeps bulk slices pointing into the socket's own bytes.
            buffer = bytes
            handedOutSlices = false
            return
        }
        var bytes = bytes
        if handedOutSlices {
            // Replies already returned share this storage, so appending would copy all of it (and keep every
            // old copy alive through those replies). Start a fresh buffer holding only the unparsed tail, sized
            // for the whole pending bulk payload so its remaining chunks append in place.
            let needed = buffer.readableBytes + bytes.readableBytes
            let capacity = max(needed, (pendingBulk?.length ?? 0) + 2 + lineHeadroom)
            var fresh = ByteBufferAllocator().buffer(capacity: capacity)
            fresh.writeBuffer(&buffer)
            buffer = fresh
            handedOutSlices = false
        }
        buffer.writeBuffer(&bytes)
    }

    /// Bytes fed but not yet part of a returned reply.
    public var bufferedBytes: Int { buffer.readableBytes }

    /// The next complete reply, or nil until more bytes arrive; throws `ProtocolError` for malformed bytes.
    public mutating func next() throws -> RESPValue? {
        guard !failed else { throw ProtocolError("parser is in a failed state after an earlier protocol error") }
        do {
            return try parseNext()
        } catch {
            failed = true
            throw error
        }
    }

    /// Appends every complete reply, in one pass over the bytes fed so far.
    public mutating func nextReplies(into replies: inout [RESPValue]) throws {
        while true {
            if stack.isEmpty, pendingBulk == nil, attributesAwaitingValue.isEmpty, scannedLineBytes == 0, !failed {
                takeSimpleReplies(into: &replies)
            }
            guard let reply = try next() else { return }
            replies.append(reply)
        }
    }

    /// Takes the complete bulk strings, integers, simple strings and errors at the front of the buffer in one
    /// pass over its bytes, and stops at anything else (an aggregate, a RESP3 type, a reply not yet whole or
    /// malformed), which `next` then parses or reports. Reply by reply, each reply cost its own ByteBuffer access
    /// (a dynamic exclusivity check), and a pipeline's replies are mostly such short top-level values.
    private mutating func takeSimpleReplies(into replies: inout [RESPValue]) {
        let source = buffer
        let maximumLength = limits.maximumBulkLength
        let maximumLineLength = limits.maximumLineLength
        var handedOut = false
        /// The bytes between `start` and `end` (offsets from the reader index), sharing the buffer's storage.
        func slice(_ start: Int, _ end: Int) -> ByteBuffer {
            handedOut = true
            return source.getSlice(at: source.readerIndex + start, length: end - start)!
        }
        let consumed = source.withUnsafeReadableBytes { bytes -> Int in
            var offset = 0
            while offset < bytes.count {
                guard case .line(let line) = Self.scanLine(
                        in: bytes, at: offset, searchingFrom: 0, maximumLineLength: maximumLineLength) else {
                    return offset
                }
                let lineEnd = offset + line.newline + 1
                switch line.type {
                case UInt8(ascii: "$"):
                    if let payloadEnd = line.bulkPayloadEnd, let length = line.number, length <= maximumLength {
                        replies.append(.bulkString(slice(lineEnd, offset + payloadEnd - 2)))
                        offset += payloadEnd
                    } else if line.number == -1 {
                        replies.append(.bulkString(nil))
                        offset = lineEnd
                    } else {
                        return offset
                    }
                case UInt8(ascii: ":"):
                    guard let value = line.number else { return offset }
                    replies.append(.integer(value))
                    offset = lineEnd
                case UInt8(ascii: "+"):
                    replies.append(.simpleString(slice(offset + 1, lineEnd - 2)))
                    offset = lineEnd
                case UInt8(ascii: "-"):
                    replies.append(.error(slice(offset + 1, lineEnd - 2)))
                    offset = lineEnd
                default:
                    return offset
                }
            }
            return offset
        }
        guard consumed > 0 else { return }
        buffer.moveReaderIndex(forwardBy: consumed)
        if handedOut { handedOutSlices = true }
    }

    private mutating func parseNext() throws -> RESPValue? {
        while true {
            // `consume`: the value moves out of the step instead of being copied and the step then destroyed.
            let step = try parseElement()
            var value: RESPValue
            switch consume step {
            case .complete(let complete): value = complete
            case .openedAggregate: continue
            case .needsMoreBytes: return nil
            }
            // Fold the finished value into the aggregates it completes.
            while true {
                if let annotation = attributesAwaitingValue.last, annotation.depth == stack.count {
                    attributesAwaitingValue.removeLast()
                    value = .attribute(annotation.pairs, value)
                }
                guard !stack.isEmpty else { return value }
                stack[stack.count - 1].elements.append(value)
                stack[stack.count - 1].remaining -= 1
                guard stack[stack.count - 1].remaining == 0 else { break }
                let finished = stack.removeLast()
                switch finished.kind {
                case .attribute:
                    attributesAwaitingValue.append((stack.count, Self.pairs(finished.elements)))
                default:
                    value = Self.value(of: finished.kind, finished.elements)
                    continue
                }
                break
            }
        }
    }

    private enum Step {
        case complete(RESPValue)
        case openedAggregate
        /// Nothing was consumed, but progress is kept.
        case needsMoreBytes
    }

    private static func value(of kind: AggregateKind, _ elements: [RESPValue]) -> RESPValue {
        switch kind {
        case .array: return .array(elements)
        case .set: return .set(elements)
        case .push: return .push(elements)
        case .map: return .map(pairs(elements))
        case .attribute: preconditionFailure("attributes annotate the next value")
        }
    }

    private static func pairs(_ elements: [RESPValue]) -> [RESPPair] {
        var pairs: [RESPPair] = []
        pairs.reserveCapacity(elements.count / 2)
        var index = 0
        while index + 1 < elements.count {
            pairs.append(RESPPair(key: elements[index], value: elements[index + 1]))
            index += 2
        }
        return pairs
    }

    /// Parses one element.
    private mutating func parseElement() throws -> Step {
        if let bulk = pendingBulk {
            return try readBulkPayload(bulk.kind, length: bulk.length).map(Step.complete) ?? .needsMoreBytes
        }
        guard let scan = try scanLine() else { return .needsMoreBytes }
        switch scan.type {
        case UInt8(ascii: "$"):
            if let payloadEnd = scan.bulkPayloadEnd {
                // The common case, a whole bulk string at hand: one slice and one move, nothing else.
                let length = try bulkLength(scan)
                let payload = buffer.getSlice(at: buffer.readerIndex + scan.newline + 1, length: length)!
                buffer.moveReaderIndex(forwardBy: payloadEnd)
                handedOutSlices = true
                return .complete(.bulkString(payload))
            }
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return try beginBulk(.bulkString, scan, nullValue: .bulkString(nil))
        case UInt8(ascii: ":"):
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return .complete(.integer(try number(scan)))
        case UInt8(ascii: "!"):
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return try beginBulk(.blobError, scan, nullValue: nil)
        case UInt8(ascii: "="):
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return try beginBulk(.verbatim, scan, nullValue: nil)
        case UInt8(ascii: "*"):
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return try beginAggregate(.array, scan, nullValue: .array(nil))
        case UInt8(ascii: "~"):
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return try beginAggregate(.set, scan, nullValue: nil)
        case UInt8(ascii: "%"):
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return try beginAggregate(.map, scan, nullValue: nil)
        case UInt8(ascii: ">"):
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return try beginAggregate(.push, scan, nullValue: nil)
        case UInt8(ascii: "|"):
            buffer.moveReaderIndex(forwardBy: scan.newline + 1)
            return try beginAggregate(.attribute, scan, nullValue: nil)
        default:
            return try parseTextLine(scan)
        }
    }

    /// The types whose line is text rather than a number: simple strings, errors, null, booleans, doubles and
    /// big numbers.
    private mutating func parseTextLine(_ scan: LineScan) throws -> Step {
        var line = buffer.readSlice(length: scan.newline - 1)!
        handedOutSlices = true
        buffer.moveReaderIndex(forwardBy: 2)
        line.moveReaderIndex(forwardBy: 1)  // the type byte
        switch scan.type {
        case UInt8(ascii: "+"):
            return .complete(.simpleString(line))
        case UInt8(ascii: "-"):
            return .complete(.error(line))
        case UInt8(ascii: "_"):
            guard line.readableBytes == 0 else { throw ProtocolError("RESP3 null carries no payload") }
            return .complete(.null)
        case UInt8(ascii: "#"):
            switch line.readString(length: line.readableBytes) {
            case "t": return .complete(.boolean(true))
            case "f": return .complete(.boolean(false))
            case let other: throw ProtocolError("invalid RESP3 boolean: \(other ?? "")")
            }
        case UInt8(ascii: ","):
            return .complete(.double(try Self.double(line)))
        case UInt8(ascii: "("):
            let text = String(buffer: line)
            let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else {
                throw ProtocolError("invalid RESP3 big number: \(text)")
            }
            return .complete(.bigNumber(text))
        default:
            throw ProtocolError("invalid RESP type byte 0x\(String(scan.type, radix: 16))")
        }
    }

    /// A complete line: its type byte, where it ends, and what it announces.
    private struct LineScan {
        var type: UInt8
        /// Offset of the line's LF from the line's start.
        var newline: Int
        /// The line after the type byte read as a decimal integer, nil if it is not one.
        var number: Int64?
        /// For a `$` line of length n whose payload and CRLF are already buffered: the offset just past them, from
        /// the line's start.
        var bulkPayloadEnd: Int?
    }

    private enum LineScanResult {
        case line(LineScan)
        case incomplete
        case malformed(String)
    }

    /// Finds the end of the line at the reader index and reads its type byte and number; `nil` until the line's
    /// end has arrived.
    private mutating func scanLine() throws -> LineScan? {
        let searchFrom = scannedLineBytes
        let maximumLineLength = limits.maximumLineLength
        let result = buffer.withUnsafeReadableBytes {
            Self.scanLine(in: $0, at: 0, searchingFrom: searchFrom, maximumLineLength: maximumLineLength)
        }
        switch result {
        case .line(let scan):
            scannedLineBytes = 0
            return scan
        case .incomplete:
            scannedLineBytes = buffer.readableBytes
            return nil
        case .malformed(let message):
            throw ProtocolError(message)
        }
    }

    /// Scans the line that starts at `start` in `bytes`, in a single pass over bytes already opened: each separate
    /// ByteBuffer access costs a uniqueness and an exclusivity check, which showed up in profiles of large
    /// pipelines. The first `searchFrom` bytes of the line are known to hold no LF. Shared by `next` and the fast
    /// path of `nextReplies`, so both read a line the same way. The search stops where a line would exceed
    /// `maximumLineLength`, so whatever the split of the stream, a too long line is refused once its first
    /// `maximumLineLength + 2` bytes have arrived.
    private static func scanLine(
        in bytes: UnsafeRawBufferPointer, at start: Int, searchingFrom searchFrom: Int, maximumLineLength: Int
    ) -> LineScanResult {
        // The line, its CR and its LF fit in `maximumLineLength + 2` bytes (written so as not to overflow).
        let isBounded = maximumLineLength <= bytes.count - start - 2
        let searchEnd = isBounded ? start + maximumLineLength + 2 : bytes.count
        var index = start + searchFrom
        while index < searchEnd, bytes[index] != RESPWire.lf { index += 1 }
        guard index < searchEnd else {
            return isBounded ? .malformed("header line longer than \(maximumLineLength) bytes") : .incomplete
        }
        guard index > start, bytes[index - 1] == RESPWire.cr else { return .malformed("line not terminated by CRLF") }
        guard index > start + 1 else { return .malformed("empty line where a RESP type byte was expected") }
        var scan = LineScan(
            type: bytes[start], newline: index - start, number: integer(bytes, from: start + 1, to: index - 1))
        if scan.type == UInt8(ascii: "$"), let length = scan.number, length >= 0, length < Int64(bytes.count - start) {
            let end = index + 1 + Int(length) + 2
            if end <= bytes.count, bytes[end - 2] == RESPWire.cr, bytes[end - 1] == RESPWire.lf {
                scan.bulkPayloadEnd = end - start
            }
        }
        return .line(scan)
    }

    private func number(_ scan: LineScan) throws -> Int64 {
        guard let number = scan.number else {
            throw ProtocolError("invalid integer in a RESP '\(Character(Unicode.Scalar(scan.type)))' line")
        }
        return number
    }

    private func bulkLength(_ scan: LineScan) throws -> Int {
        let length = try number(scan)
        guard length <= limits.maximumBulkLength else {
            throw ProtocolError("bulk length \(length) exceeds the maximum of \(limits.maximumBulkLength)")
        }
        return Int(length)
    }

    private mutating func beginBulk(_ kind: BulkKind, _ line: LineScan, nullValue: RESPValue?) throws -> Step {
        let length = try number(line)
        if length == -1, let nullValue { return .complete(nullValue) }
        guard length >= 0 else { throw ProtocolError("invalid bulk length \(length)") }
        guard length <= limits.maximumBulkLength else {
            throw ProtocolError("bulk length \(length) exceeds the maximum of \(limits.maximumBulkLength)")
        }
        pendingBulk = (kind, Int(length))
        return try readBulkPayload(kind, length: Int(length)).map(Step.complete) ?? .needsMoreBytes
    }

    private mutating func readBulkPayload(_ kind: BulkKind, length: Int) throws -> RESPValue? {
        guard buffer.readableBytes >= length + 2 else { return nil }
        let payload = buffer.readSlice(length: length)!
        handedOutSlices = true
        guard buffer.readInteger(as: UInt16.self) == 0x0D0A else {
            throw ProtocolError("bulk payload not terminated by CRLF")
        }
        pendingBulk = nil
        switch kind {
        case .bulkString:
            return .bulkString(payload)
        case .blobError:
            return .error(payload)
        case .verbatim:
            var payload = payload
            guard payload.readableBytes >= 4, let format = payload.readString(length: 3),
                payload.readInteger(as: UInt8.self) == UInt8(ascii: ":")
            else {
                throw ProtocolError("verbatim string lacks its 'fmt:' prefix")
            }
            return .verbatimString(format: format, payload)
        }
    }

    private mutating func beginAggregate(_ kind: AggregateKind, _ line: LineScan, nullValue: RESPValue?) throws
        -> Step
    {
        let count = try number(line)
        if count == -1, let nullValue { return .complete(nullValue) }
        guard count >= 0 else { throw ProtocolError("invalid aggregate length \(count)") }
        guard count <= limits.maximumAggregateLength else {
            throw ProtocolError("aggregate length \(count) exceeds the maximum of \(limits.maximumAggregateLength)")
        }
        // Every open aggregate and every attribute waiting for its value is one level of the reply being built.
        // Checked here, once per aggregate, so that scalars cost nothing.
        guard stack.count + attributesAwaitingValue.count < limits.maximumDepth else {
            throw ProtocolError("reply nested deeper than \(limits.maximumDepth) levels")
        }
        let isPaired = kind == .map || kind == .attribute
        let elements = Int(count) * (isPaired ? 2 : 1)
        if elements == 0 {
            if kind == .attribute {
                attributesAwaitingValue.append((stack.count, []))
                return .openedAggregate
            }
            return .complete(Self.value(of: kind, []))
        }
        var aggregate = Aggregate(kind: kind, remaining: elements, elements: [])
        // Reserve only what the bytes at hand could hold: a hostile length must not allocate gigabytes.
        aggregate.elements.reserveCapacity(min(elements, 1 + buffer.readableBytes / 4))
        stack.append(aggregate)
        return .openedAggregate
    }

    /// The decimal integer in `bytes[start..<end]` (an optional sign, then digits), nil if it is not one.
    private static func integer(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int64? {
        guard start < end else { return nil }
        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            guard index < end else { return nil }
        }
        var result: Int64 = 0
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (multiplied, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (added, overflow2) =
                negative
                ? multiplied.subtractingReportingOverflow(Int64(digit))
                : multiplied.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            result = added
            index += 1
        }
        return result
    }

    private static func double(_ line: ByteBuffer) throws -> Double {
        let text = String(buffer: line)
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default:
            guard let value = Double(text) else { throw ProtocolError("invalid RESP3 double '\(text)'") }
            return value
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
