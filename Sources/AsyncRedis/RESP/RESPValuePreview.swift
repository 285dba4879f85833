import NIOCore

extension RESPValue {
    /// A short text of the reply for error messages: at most `RESPValuePreview.maximumLength` characters, nested
    /// aggregates shown `RESPValuePreview.maximumDepth` levels deep. `description` prints a whole reply, which may
    /// be megabytes long; an error message must stay readable and cheap to build, whatever the server sent.
    var preview: String {
        var preview = RESPValuePreview()
        preview.append(self, depth: 0)
        return preview.text
    }
}

/// Writes a reply in `RESPValue.description`'s notation until its budget is spent.
struct RESPValuePreview {
    static let maximumLength = 200
    static let maximumDepth = 3
    /// Longer strings are cut to this many characters.
    static let maximumStringLength = 64

    private(set) var text = ""
    private var isFull: Bool { text.count >= Self.maximumLength }

    mutating func append(_ value: RESPValue, depth: Int) {
        guard !isFull else { return }
        switch value {
        case .array(.some(let items)): appendItems(items, open: "[", close: "]", depth: depth)
        case .set(let items): appendItems(items, open: "~{", close: "}", depth: depth)
        case .push(let items): appendItems(items, open: ">[", close: "]", depth: depth)
        case .map(let pairs): appendPairs(pairs, open: "{", close: "}", depth: depth)
        case .attribute(let pairs, let inner):
            guard depth < Self.maximumDepth else {
                text += "|{…} …"
                return
            }
            appendPairs(pairs, open: "|{", close: "} ", depth: depth)
            append(inner, depth: depth + 1)
        case .simpleString(let bytes): appendString("+", bytes)
        case .error(let bytes): appendString("-", bytes)
        case .verbatimString(let format, let bytes): appendString("=\(format):", bytes)
        case .bulkString(.some(let bytes)):
            text += "\""
            appendString("", bytes)
            text += "\""
        case .bulkString(nil), .array(nil), .null, .integer, .double, .boolean, .bigNumber:
            text += value.description
        }
        if text.count > Self.maximumLength {
            text = String(text.prefix(Self.maximumLength)) + "…"
        }
    }

    private mutating func appendString(_ prefix: String, _ bytes: ByteBuffer) {
        let shown = bytes.getSlice(at: bytes.readerIndex, length: min(bytes.readableBytes, Self.maximumStringLength))!
        text += prefix + String(decoding: shown.readableBytesView, as: UTF8.self)
        if bytes.readableBytes > Self.maximumStringLength { text += "…" }
    }

    private mutating func appendItems(_ items: [RESPValue], open: String, close: String, depth: Int) {
        appendAggregate(items, noun: "items", open: open, close: close, depth: depth) { preview, item in
            preview.append(item, depth: depth + 1)
        }
    }

    private mutating func appendPairs(_ pairs: [RESPPair], open: String, close: String, depth: Int) {
        appendAggregate(pairs, noun: "pairs", open: open, close: close, depth: depth) { preview, pair in
            preview.append(pair.key, depth: depth + 1)
            preview.text += ": "
            preview.append(pair.value, depth: depth + 1)
        }
    }

    /// Past the depth cap an aggregate shows only its size; otherwise its elements until the budget is spent.
    private mutating func appendAggregate<Element>(
        _ elements: [Element], noun: String, open: String, close: String, depth: Int,
        appendElement: (inout RESPValuePreview, Element) -> Void
    ) {
        guard depth < Self.maximumDepth || elements.isEmpty else {
            text += "\(open)…\(elements.count) \(noun)\(close)"
            return
        }
        text += open
        for (index, element) in elements.enumerated() {
            if isFull {
                text += "…"
                return
            }
            if index > 0 { text += ", " }
            appendElement(&self, element)
        }
        text += close
    }
}
