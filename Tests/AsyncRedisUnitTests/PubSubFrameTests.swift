import NIOCore
import Testing

@testable import AsyncRedis

/// Pub/Sub frames read from the bytes the server sent, without a server.
@Suite("PubSubFrame: the kind of a frame, read once from its bytes")
struct PubSubFrameTests {
    private func bulk(_ text: String) -> RESPValue { .bulkString(ByteBuffer(string: text)) }

    @Test("every kind is recognized whatever its case; other first elements name none")
    func kinds() {
        let cases: [(String, String?)] = [
            ("message", "message"), ("MESSAGE", "message"), ("pMessage", "pmessage"), ("smessage", "smessage"),
            ("pong", "pong"), ("subscribe", "subscribe"), ("PUNSUBSCRIBE", "punsubscribe"),
            ("sunsubscribe", "sunsubscribe"), ("messages", nil), ("messag", nil), ("", nil), ("m\u{E9}ssage", nil),
            ("invalidate", nil),
        ]
        for (name, expected) in cases {
            let kind = PubSubFrame.kind(of: [bulk(name), bulk("x")])
            #expect(kind.map(describe) == expected, "\(name)")
        }
        #expect(PubSubFrame.kind(of: []) == nil)
        #expect(PubSubFrame.kind(of: [.integer(1)]) == nil)
    }

    @Test("a PING reply in RESP2 Pub/Sub mode is no frame; messages and confirmations are, and parse")
    func frames() throws {
        #expect(PubSubFrame.frameKind(of: [bulk("pong"), bulk("")]) == nil)
        let message = [bulk("message"), bulk("news"), bulk("hello")]
        let kind = try #require(PubSubFrame.frameKind(of: message))
        guard case .message(let channel, let payload)? = PubSubFrame(message, kind: kind) else {
            Issue.record("not a message")
            return
        }
        #expect(channel == "news" && String(buffer: payload) == "hello")
        let confirmation = [bulk("SUBSCRIBE"), bulk("news"), .integer(1)]
        guard case .confirmation(.subscribe, "news", _)? =
            PubSubFrame(confirmation, kind: try #require(PubSubFrame.frameKind(of: confirmation)))
        else {
            Issue.record("not a subscribe confirmation")
            return
        }
        // A message with a missing payload is malformed, not a message.
        #expect(PubSubFrame([bulk("message"), bulk("news")], kind: .message) == nil)
    }

    private func describe(_ kind: PubSubFrame.Kind) -> String {
        switch kind {
        case .message: "message"
        case .pmessage: "pmessage"
        case .smessage: "smessage"
        case .pong: "pong"
        case .confirmation(let command): command.rawValue
        }
    }
}
