import NIOCore
import Testing

@testable import AsyncRedis

/// `depth` nested arrays around an integer, as a server would send them.
func nestedArrayBytes(depth: Int) -> [UInt8] {
    Array(String(repeating: "*1\r\n", count: depth).utf8) + Array(":1\r\n".utf8)
}

/// Decodes `bytes` fed in chunks of `chunkSize`, collecting replies until the decoder needs more or throws.
private func decode(_ bytes: [UInt8], limits: RESPLimits = .default, chunkSize: Int = 1 << 20) throws
    -> [RESPValue]
{
    var decoder = RESPDecoder(limits: limits)
    var replies: [RESPValue] = []
    var offset = 0
    while offset < bytes.count {
        decoder.feed(ByteBuffer(bytes: bytes[offset..<min(bytes.count, offset + chunkSize)]))
        try decoder.nextReplies(into: &replies)
        offset += chunkSize
    }
    return replies
}

@Suite("Reply limits of the RESP decoder")
struct ReplyLimitsTests {
    @Test("the deepest allowed reply decodes, compares, prints and is destroyed; one level more is refused")
    func depthLimit() throws {
        let deepest = try decode(nestedArrayBytes(depth: RESPLimits.defaultMaximumDepth))
        #expect(deepest.count == 1)
        #expect(deepest == (try decode(nestedArrayBytes(depth: RESPLimits.defaultMaximumDepth))))
        #expect(deepest[0].description.count > RESPLimits.defaultMaximumDepth)
        let error = #expect(throws: ProtocolError.self) {
            _ = try decode(nestedArrayBytes(depth: RESPLimits.defaultMaximumDepth + 1))
        }
        #expect(error?.message.contains("nested deeper than 512") == true)
    }

    @Test("100 000 nested arrays fail with ProtocolError, whatever the split, instead of crashing")
    func hugeDepthIsRefused() throws {
        for chunkSize in [1 << 20, 4096, 3] {
            #expect(throws: ProtocolError.self) {
                _ = try decode(nestedArrayBytes(depth: 100_000), chunkSize: chunkSize)
            }
        }
    }

    @Test("attributes waiting for their value count as levels too")
    func attributeChainIsBounded() throws {
        let chain = Array(String(repeating: "|0\r\n", count: 10_000).utf8) + Array(":1\r\n".utf8)
        #expect(throws: ProtocolError.self) { _ = try decode(chain) }
        let short = Array(String(repeating: "|0\r\n", count: 3).utf8) + Array(":1\r\n".utf8)
        #expect(try decode(short).count == 1)
    }

    @Test("a configured depth applies exactly")
    func configuredDepth() throws {
        let limits = RESPLimits(maximumDepth: 3)
        #expect(try decode(nestedArrayBytes(depth: 3), limits: limits).count == 1)
        #expect(throws: ProtocolError.self) { _ = try decode(nestedArrayBytes(depth: 4), limits: limits) }
        #expect(throws: ProtocolError.self) {
            _ = try decode(Array("*1\r\n*1\r\n*1\r\n*0\r\n".utf8), limits: limits)
        }
    }

    @Test("a header line without CRLF is refused once it passes 64 KiB, not buffered up to the bulk limit")
    func lineLengthLimit() throws {
        let limit = RESPLimits.defaultMaximumLineLength
        var decoder = RESPDecoder()
        var replies: [RESPValue] = []
        var fed = 0
        let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 4096)
        decoder.feed(ByteBuffer(string: "+"))
        let error = #expect(throws: ProtocolError.self) {
            while fed < 100 * 1024 * 1024 {
                decoder.feed(chunk)
                fed += chunk.readableBytes
                try decoder.nextReplies(into: &replies)
            }
        }
        #expect(error?.message.contains("header line longer than \(limit)") == true)
        // Refused within one chunk of the limit: memory held is bounded by the line limit, not 512 MB.
        #expect(fed <= limit + 2 * chunk.readableBytes)
    }

    @Test("a line of exactly the limit is accepted; one byte more is refused, whole or split")
    func lineLengthBoundary() throws {
        let limits = RESPLimits(maximumLineLength: 10)
        let fits = Array("+123456789\r\n".utf8)  // type byte and 9 characters: 10
        let tooLong = Array("+1234567890\r\n".utf8)
        for chunkSize in [100, 1] {
            #expect(try decode(fits, limits: limits, chunkSize: chunkSize).count == 1)
            #expect(throws: ProtocolError.self) { _ = try decode(tooLong, limits: limits, chunkSize: chunkSize) }
        }
    }

    @Test("bulk and aggregate lengths have separate limits")
    func separateLengthLimits() throws {
        let limits = RESPLimits(maximumBulkLength: 4, maximumAggregateLength: 2)
        #expect(try decode(Array("$4\r\nabcd\r\n*2\r\n:1\r\n:2\r\n".utf8), limits: limits).count == 2)
        let bulk = #expect(throws: ProtocolError.self) { _ = try decode(Array("$5\r\nabcde\r\n".utf8), limits: limits) }
        #expect(bulk?.message.contains("bulk length 5") == true)
        let array = #expect(throws: ProtocolError.self) {
            _ = try decode(Array("*3\r\n:1\r\n:2\r\n:3\r\n".utf8), limits: limits)
        }
        #expect(array?.message.contains("aggregate length 3") == true)
        // A map of 2 pairs is within an aggregate limit of 2.
        #expect(try decode(Array("%2\r\n:1\r\n:2\r\n:3\r\n:4\r\n".utf8), limits: limits).count == 1)
    }

    @Test("the configuration carries the limits to the parser and refuses non-positive ones")
    func configurationLimits() throws {
        let configuration = RedisConnectionConfiguration(
            address: .tcp(), maximumReplyLength: 10, maximumAggregateLength: 20, maximumReplyDepth: 30,
            maximumLineLength: 40)
        #expect(configuration.replyLimits
            == RESPLimits(maximumBulkLength: 10, maximumAggregateLength: 20, maximumDepth: 30, maximumLineLength: 40))
        let bad = RedisConnectionConfiguration(address: .tcp(), maximumReplyDepth: 0)
        #expect(throws: InvalidArgumentError.self) { try bad.validate() }
    }

    @Test("an error message quotes a short, depth-capped preview of the reply")
    func previewIsBounded() throws {
        let wide = RESPValue.array((0..<100_000).map { .bulkString(ByteBuffer(string: "element \($0)")) })
        let deep = try decode(nestedArrayBytes(depth: RESPLimits.defaultMaximumDepth))[0]
        let long = RESPValue.bulkString(ByteBuffer(repeating: UInt8(ascii: "x"), count: 1_000_000))
        for value in [wide, deep, long] {
            let error = #expect(throws: UnexpectedReplyError.self) { _ = try Int(fromRESP: value, encoding: .utf8) }
            #expect((error?.message.count ?? .max) < 300)
        }
        #expect(wide.preview.hasPrefix("[\"element 0\", \"element 1\""))
        #expect(deep.preview.hasPrefix("[[[[…1 items]]]"))
    }
}
