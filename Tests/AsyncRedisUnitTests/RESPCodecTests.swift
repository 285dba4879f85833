import NIOCore
import Testing

@testable import AsyncRedis

/// One sample reply per RESP2/RESP3 kind, with the value it must decode to.
private let samples: [(bytes: String, value: RESPValue)] = [
    ("+OK\r\n", .simpleString(ByteBuffer(string: "OK"))),
    ("-ERR unknown command\r\n", .error(ByteBuffer(string: "ERR unknown command"))),
    (":-42\r\n", .integer(-42)),
    ("$5\r\nhe\r\no\r\n", .bulkString(ByteBuffer(string: "he\r\no"))),
    ("$0\r\n\r\n", .bulkString(ByteBuffer())),
    ("$-1\r\n", .bulkString(nil)),
    ("*-1\r\n", .array(nil)),
    ("*0\r\n", .array([])),
    ("*3\r\n:1\r\n*1\r\n+x\r\n$1\r\ny\r\n",
     .array([.integer(1), .array([.simpleString(ByteBuffer(string: "x"))]), .bulkString(ByteBuffer(string: "y"))])),
    ("_\r\n", .null),
    ("%2\r\n+a\r\n:1\r\n+b\r\n%0\r\n",
     .map([RESPPair(key: .simpleString(ByteBuffer(string: "a")), value: .integer(1)),
           RESPPair(key: .simpleString(ByteBuffer(string: "b")), value: .map([]))])),
    ("~2\r\n:1\r\n:2\r\n", .set([.integer(1), .integer(2)])),
    (",3.25\r\n", .double(3.25)),
    (",-inf\r\n", .double(-.infinity)),
    ("#t\r\n", .boolean(true)),
    ("#f\r\n", .boolean(false)),
    ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
    ("=15\r\ntxt:Some string\r\n", .verbatimString(format: "txt", ByteBuffer(string: "Some string"))),
    ("!21\r\nSYNTAX invalid syntax\r\n", .error(ByteBuffer(string: "SYNTAX invalid syntax"))),
    (">3\r\n+message\r\n+ch\r\n$2\r\nhi\r\n",
     .push([.simpleString(ByteBuffer(string: "message")), .simpleString(ByteBuffer(string: "ch")),
            .bulkString(ByteBuffer(string: "hi"))])),
    ("|1\r\n+ttl\r\n:3\r\n*2\r\n:1\r\n:2\r\n",
     .attribute([RESPPair(key: .simpleString(ByteBuffer(string: "ttl")), value: .integer(3))],
                .array([.integer(1), .integer(2)]))),
    ("*2\r\n|1\r\n+k\r\n+v\r\n*1\r\n:7\r\n:8\r\n",
     .array([.attribute([RESPPair(key: .simpleString(ByteBuffer(string: "k")), value: .simpleString(ByteBuffer(string: "v")))],
                        .array([.integer(7)])), .integer(8)])),
]

/// How replies are taken out of the decoder: one `next` at a time, or all at once with `nextReplies` (the
/// connection's way, which has a fast path of its own for top-level bulk strings, integers and simple lines).
enum TakeReplies: CaseIterable, Sendable {
    case byNext, byNextReplies
}

private func decodeAll(
    _ chunks: [ArraySlice<UInt8>], maximumLength: Int = RESPDecoder.defaultMaximumLength,
    taking take: TakeReplies = .byNext
) throws -> [RESPValue] {
    var decoder = RESPDecoder(maximumLength: maximumLength)
    var values: [RESPValue] = []
    for chunk in chunks {
        decoder.feed(ByteBuffer(bytes: chunk))
        switch take {
        case .byNext: while let value = try decoder.next() { values.append(value) }
        case .byNextReplies: try decoder.nextReplies(into: &values)
        }
    }
    return values
}

@Suite("RESP codec")
struct RESPCodecTests {
    @Test("each RESP2 and RESP3 reply kind decodes", arguments: samples.indices)
    func eachKind(index: Int) throws {
        let sample = samples[index]
        let values = try decodeAll([ArraySlice(Array(sample.bytes.utf8))])
        #expect(values == [sample.value])
    }

    @Test("a stream of every kind decodes identically at every split point", arguments: TakeReplies.allCases)
    func everySplitPoint(take: TakeReplies) throws {
        // Twice over, so simple replies follow aggregates and RESP3 kinds as well as lead the stream.
        let stream = Array((samples + samples).map(\.bytes).joined().utf8)
        let expected = (samples + samples).map(\.value)
        for split in 0...stream.count {
            let values = try decodeAll([stream[..<split], stream[split...]], taking: take)
            #expect(values == expected, "split at byte \(split)")
        }
    }

    @Test("one byte at a time", arguments: TakeReplies.allCases)
    func oneByteAtATime(take: TakeReplies) throws {
        let stream = Array(samples.map(\.bytes).joined().utf8)
        let values = try decodeAll(stream.indices.map { stream[$0...$0] }, taking: take)
        #expect(values == samples.map(\.value))
    }

    @Test("a pipeline's replies in one read: every one taken, as slices of that read")
    func pipelineInOneRead() throws {
        var decoder = RESPDecoder()
        var input = ByteBuffer()
        for index in 0..<100 { input.writeString("$\(String(index).utf8.count)\r\n\(index)\r\n:\(-index)\r\n") }
        input.writeString("+OK\r\n-ERR no\r\n$-1\r\n$0\r\n\r\n")
        decoder.feed(input)
        var replies: [RESPValue] = []
        try decoder.nextReplies(into: &replies)
        let expected: [RESPValue] =
            (0..<100).flatMap { [RESPValue.bulkString(ByteBuffer(string: String($0))), .integer(Int64(-$0))] }
            + [.simpleString(ByteBuffer(string: "OK")), .error(ByteBuffer(string: "ERR no")), .bulkString(nil),
               .bulkString(ByteBuffer())]
        #expect(replies == expected)
        #expect(decoder.bufferedBytes == 0)
        let inputStart = input.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        guard case .bulkString(.some(let first)) = replies[0] else { return }
        #expect(first.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } == inputStart + 4)
    }

    @Test("nextReplies and next agree on 5000 random streams, cut at random and with a byte altered in half of them")
    func nextRepliesAgreesWithNext() throws {
        var random = SplitMix64(seed: 0x5EED)
        // The bytes that matter to a parser are likelier than any other when a byte is altered.
        let telling = Array("\r\n$:+-*_0123456789".utf8)
        for round in 0..<5000 {
            var stream: [UInt8] = []
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                stream += Array(samples.randomElement(using: &random)!.bytes.utf8)
            }
            if round.isMultiple(of: 2) {
                let anyByte = UInt8.random(in: 0...255, using: &random)
                let altered = Bool.random(using: &random) ? telling.randomElement(using: &random)! : anyByte
                stream[Int.random(in: stream.indices, using: &random)] = altered
            }
            let cutCount = Int.random(in: 0...3, using: &random)
            let cuts = [0] + (0..<cutCount).map { _ in Int.random(in: 0...stream.count, using: &random) }.sorted()
                + [stream.count]
            let chunks = zip(cuts, cuts.dropFirst()).map { stream[$0..<$1] }
            let byNext = Swift.Result { try decodeAll(chunks, maximumLength: 64, taking: .byNext) }
            let byNextReplies = Swift.Result { try decodeAll(chunks, maximumLength: 64, taking: .byNextReplies) }
            switch (byNext, byNextReplies) {
            case (.success(let one), .success(let other)):
                #expect(one == other, "stream \(stream), cut at \(cuts)")
            case (.failure, .failure):
                break
            default:
                Issue.record("one way threw and the other did not: stream \(stream), cut at \(cuts)")
            }
        }
    }

    @Test("nextReplies hands over the replies before a malformed one, then throws")
    func nextRepliesThenError() throws {
        var decoder = RESPDecoder(maximumLength: 16)
        decoder.feed(ByteBuffer(string: "+OK\r\n:1\r\n$3\r\nabc\r\n$20\r\n"))
        var replies: [RESPValue] = []
        #expect(throws: ProtocolError.self) { try decoder.nextReplies(into: &replies) }
        let before: [RESPValue] = [
            .simpleString(ByteBuffer(string: "OK")), .integer(1), .bulkString(ByteBuffer(string: "abc")),
        ]
        #expect(replies == before)
        #expect(throws: ProtocolError.self) { try decoder.nextReplies(into: &replies) }
        #expect(replies.count == 3)
    }

    @Test("a complete reply is returned before the rest of the stream arrives")
    func partialStreamKeepsProgress() throws {
        var decoder = RESPDecoder()
        decoder.feed(ByteBuffer(string: "*2\r\n$3\r\nfoo\r\n$5\r\nba"))
        #expect(try decoder.next() == nil)
        // The array header and the first element are consumed; only the unfinished payload is buffered.
        #expect(decoder.bufferedBytes == 2)
        decoder.feed(ByteBuffer(string: "rba\r\n+OK\r\n"))
        #expect(try decoder.next() == .array([.bulkString(ByteBuffer(string: "foo")), .bulkString(ByteBuffer(string: "barba"))]))
        #expect(try decoder.next() == .simpleString(ByteBuffer(string: "OK")))
        #expect(try decoder.next() == nil)
    }

    @Test("bulk payloads are slices of the bytes read, not copies")
    func bulkIsSlice() throws {
        var decoder = RESPDecoder()
        let input = ByteBuffer(string: "$11\r\nhello world\r\n")
        decoder.feed(input)
        guard case .bulkString(.some(let payload)) = try decoder.next() else {
            Issue.record("expected a bulk string")
            return
        }
        let inputStart = input.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let payloadStart = payload.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(payloadStart == inputStart + 5)
    }

    @Test(
        "malformed input raises ProtocolError",
        arguments: [
            "$20\r\n",  // longer than the maximum of 16 used below
            "*17\r\n",
            "$-2\r\n",
            "*-5\r\n",
            "?what\r\n",
            "+OK\n",
            "$3\r\nabcXY",
            ":12a\r\n",
            ":\r\n",
            "#x\r\n",
            ",abc\r\n",
            "\r\n",
            "=3\r\nabc\r\n",
        ])
    func malformed(input: String) throws {
        for take in TakeReplies.allCases {
            #expect(throws: ProtocolError.self, "\(take)") {
                _ = try decodeAll([ArraySlice(Array(input.utf8))], maximumLength: 16, taking: take)
            }
        }
    }

    @Test("the default maximum is Redis's proto-max-bulk-len, 512 MB")
    func defaultMaximum() throws {
        #expect(RESPDecoder.defaultMaximumLength == 512 * 1024 * 1024)
        #expect(throws: ProtocolError.self) {
            _ = try decodeAll([ArraySlice(Array("$536870913\r\n".utf8))])
        }
        #expect(try decodeAll([ArraySlice(Array("$536870912\r\n".utf8))]).isEmpty)
    }

    @Test("after a protocol error the parser stays failed")
    func failedStaysFailed() throws {
        var decoder = RESPDecoder()
        decoder.feed(ByteBuffer(string: "?\r\n+OK\r\n"))
        #expect(throws: ProtocolError.self) { try decoder.next() }
        #expect(throws: ProtocolError.self) { try decoder.next() }
    }

    @Test("commands are encoded as RESP arrays of bulk strings")
    func encodeCommand() {
        var buffer = ByteBuffer()
        buffer.writeRedisCommand(
            "SET", ["key", 42, -7, [UInt8]([0, 255]), ByteBuffer(string: "bb"), 1.5, Double.infinity, "é"[...]])
        let expected: [UInt8] =
            Array("*9\r\n$3\r\nSET\r\n$3\r\nkey\r\n$2\r\n42\r\n$2\r\n-7\r\n$2\r\n".utf8) + [0, 255]
            + Array("\r\n$2\r\nbb\r\n$3\r\n1.5\r\n$3\r\ninf\r\n$2\r\né\r\n".utf8)
        #expect(Array(buffer.readableBytesView) == expected)
    }

    @Test("a command's header and name: two-digit counts and lengths, and a name that is not ASCII")
    func encodeCommandHeader() {
        var buffer = ByteBuffer()
        let members = (1...10).map { "m\($0)" }
        buffer.writeRedisCommand("ZRANGEBYSCORE", members)
        buffer.writeRedisCommand("CMDé", [])
        let expected =
            "*11\r\n$13\r\nZRANGEBYSCORE\r\n" + members.map { "$\($0.utf8.count)\r\n\($0)\r\n" }.joined()
            + "*1\r\n$5\r\nCMDé\r\n"
        #expect(Array(buffer.readableBytesView) == Array(expected.utf8))
    }

    @Test("integers of every width encode their decimal digits", arguments: [Int64.min, -1, 0, 9, 10, Int64.max])
    func encodeIntegers(value: Int64) {
        var buffer = ByteBuffer()
        value.writeRESPBulk(into: &buffer)
        let digits = String(value)
        #expect(String(buffer: buffer) == "$\(digits.utf8.count)\r\n\(digits)\r\n")
        // In a command the integer is stored through `respPayloadCount` and `storeRESPPayload` instead.
        var command = ByteBuffer()
        command.writeRedisCommand("X", [value, Int8(-8), UInt64.max])
        #expect(
            String(buffer: command)
                == "*4\r\n$1\r\nX\r\n$\(digits.utf8.count)\r\n\(digits)\r\n$2\r\n-8\r\n$20\r\n18446744073709551615\r\n")
    }

    @Test("a pipeline is encoded as its commands one after another, in one access or, failing that, one by one")
    func encodePipeline() {
        let commands: [(command: String, arguments: [any RedisArgument])] = [
            ("GET", ["key"]), ("MULTI", []), ("SET", ["k", 42, [UInt8]([0, 13, 10])]),
            ("ZRANGEBYSCORE", (1...10).map { "m\($0)" }), ("CMDé", ["é"[...], ByteBuffer(string: "bb"), -7]),
        ]
        let withUnknownLength = commands + [("ZADD", ["z", ScoreBound.exclusive(1.5), "m"])]
        for pipeline in [commands, withUnknownLength] {
            var together = ByteBuffer()
            together.writeRedisCommands(pipeline)
            var oneByOne = ByteBuffer()
            for (command, arguments) in pipeline { oneByOne.writeRedisCommand(command, arguments) }
            #expect(together == oneByOne)
        }
        var get = ByteBuffer()
        get.writeRedisCommands([("GET", ["key"])])
        #expect(String(buffer: get) == "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
    }

    @Test("bytes without contiguous storage are stored one by one")
    func storeNonContiguous() {
        let bytes = (0..<5).lazy.map { UInt8(ascii: "a") + UInt8($0) }
        #expect(bytes.withContiguousStorageIfAvailable { _ in true } == nil)
        var stored = [UInt8](repeating: 0, count: 5)
        stored.withUnsafeMutableBytes { RESPWire.store(bytes, in: $0) }
        #expect(stored == Array("abcde".utf8))
        var buffer = ByteBuffer()
        buffer.writeRESPBulk(bytes: bytes)
        #expect(String(buffer: buffer) == "$5\r\nabcde\r\n")
    }

    @Test("a command whose arguments all know their length is encoded as one whose arguments write themselves")
    func encodeKnownLengthArguments() {
        let arguments: [any RedisArgument] = [
            "key", "é"[...], [UInt8]([0, 13, 10, 255]), [UInt8]([1, 2, 3])[1...], ByteBuffer(string: "bb"), "", 42,
        ]
        #expect(arguments.allSatisfy { $0.respPayloadCount != nil })
        var stored = ByteBuffer()
        stored.writeRedisCommand("SET", arguments)
        // ScoreBound reports no length: the same arguments after it are written one by one.
        var written = ByteBuffer()
        written.writeRedisCommand("SET", arguments + [ScoreBound.exclusive(1)])
        var expected = ByteBuffer(string: "*8\r\n$3\r\nSET\r\n")
        for argument in arguments { argument.writeRESPBulk(into: &expected) }
        #expect(stored.readableBytesView.dropFirst(4).elementsEqual(expected.readableBytesView.dropFirst(4)))
        #expect(String(buffer: written).hasSuffix("$2\r\n(1\r\n"))
        #expect(written.readableBytesView.dropFirst(4).starts(with: expected.readableBytesView.dropFirst(4)))
        #expect(String(buffer: stored).hasPrefix("*8\r\n") && String(buffer: written).hasPrefix("*9\r\n"))
    }

    @Test("replies decode into Swift types")
    func decodable() throws {
        let hash: RESPValue = .array([.bulkString(ByteBuffer(string: "a")), .bulkString(ByteBuffer(string: "1"))])
        #expect(try [String: Int](fromRESP: hash, encoding: .utf8) == ["a": 1])
        #expect(try String?(fromRESP: .bulkString(nil), encoding: .utf8) == nil)
        #expect(try Bool(fromRESP: .integer(1), encoding: .utf8))
        #expect(try Double(fromRESP: .bulkString(ByteBuffer(string: "2.5")), encoding: .utf8) == 2.5)
        #expect(try [UInt8](fromRESP: .bulkString(ByteBuffer(bytes: [1, 2])), encoding: .utf8) == [1, 2])
        #expect(try String(fromRESP: .bulkString(ByteBuffer(bytes: [0xE9])), encoding: .latin1) == "é")
        #expect(throws: UnexpectedReplyError.self) {
            try String(fromRESP: .bulkString(ByteBuffer(bytes: [0xE9])), encoding: .utf8)
        }
        #expect(throws: UnexpectedReplyError.self) { try Int(fromRESP: .array([]), encoding: .utf8) }
    }
}

/// A small seeded generator, so a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
