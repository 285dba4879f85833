import NIOCore

// The reply parser's fuzz target (see FuzzEntry.swift). The first input byte chooses the limits
// and the split; the rest is the byte stream. Decoding the stream fed in pieces must give exactly what decoding it
// in one piece gives: the same replies, then the same failure or the same need for more bytes.

/// What a decode produced: the replies, in the notation of `description`, and whether it ended in an error.
private struct Outcome: Equatable {
    var replies: [String] = []
    var failed = false
}

private func decode(
    _ bytes: ArraySlice<UInt8>, cuts: [Int], limits: RESPLimits, byNext: Bool
) -> Outcome {
    var decoder = RESPDecoder(limits: limits)
    var outcome = Outcome()
    var start = bytes.startIndex
    for cut in cuts + [bytes.endIndex] where cut >= start {
        decoder.feed(ByteBuffer(bytes: bytes[start..<cut]))
        start = cut
        do {
            if byNext {
                while let reply = try decoder.next() { outcome.replies.append(render(reply)) }
            } else {
                var replies: [RESPValue] = []
                defer { outcome.replies += replies.map(render) }
                try decoder.nextReplies(into: &replies)
            }
        } catch {
            guard error is ProtocolError else { fatalError("the decoder threw \(type(of: error)): \(error)") }
            outcome.failed = true
            return outcome
        }
    }
    return outcome
}

/// A reply as text; its preview is built too, which must never trap whatever the reply.
private func render(_ value: RESPValue) -> String {
    precondition(value.preview.count <= 260, "preview too long: \(value.preview.count)")
    return value.description
}

func fuzzRESPDecoder(_ input: UnsafeBufferPointer<UInt8>) {
    guard !input.isEmpty else { return }
    let control = input[0]
    let bytes = Array(input)[1...]
    // Small limits, so that inputs of a few hundred bytes reach every one of them.
    let limits = RESPLimits(
        maximumBulkLength: 64, maximumAggregateLength: 16, maximumDepth: 2 + Int(control & 7),
        maximumLineLength: 24 + Int(control >> 3))
    let whole = decode(bytes, cuts: [], limits: limits, byNext: true)
    // Cut points from a small generator seeded by the control byte: some inputs split every byte.
    var state = UInt32(control) &* 2_654_435_761 | 1
    var cuts: [Int] = []
    var position = bytes.startIndex
    while position < bytes.endIndex {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        position += 1 + Int(state % (control % 3 == 0 ? 2 : 17))
        if position < bytes.endIndex { cuts.append(position) }
    }
    for byNext in [true, false] {
        let split = decode(bytes, cuts: cuts, limits: limits, byNext: byNext)
        if split != whole {
            fatalError("split decode (byNext: \(byNext)) differs: \(split) versus whole \(whole)")
        }
    }
}
