import NIOCore
import Testing

@testable import AsyncRedis

/// When the connection's state asks for a write, without a server.
@Suite("ConnectionStateMachine: when commands are written")
struct ConnectionStateMachineTests {
    typealias SendResult = ConnectionStateMachine.SendResult

    /// Sends `count` GETs, starting at id `firstID`, and returns what the state answered to each. Every command
    /// gets the same continuation, which is resumed here once: the state never answers these commands.
    private func sendGets(_ count: Int, firstID: UInt64 = 0, to state: inout ConnectionStateMachine) async throws
        -> [SendResult]
    {
        var results: [SendResult] = []
        _ = try await withUnsafeThrowingContinuation { (continuation: ConnectionStateMachine.ReplyContinuation) in
            for offset in 0..<count {
                results.append(
                    state.send(id: firstID + UInt64(offset), command: "GET", arguments: ["key"], effect: .none,
                               continuation: continuation))
            }
            continuation.resume(returning: .null)
        }
        return results
    }

    private func kind(_ result: SendResult) -> String {
        switch result {
        case .scheduleFlush: "schedule"
        case .queued: "queued"
        case .queuedFlushNowIfOnEventLoop: "now"
        case .fail: "fail"
        }
    }

    @Test("a burst of fewer than earlyWriteMinimum commands waits for the one scheduled flush")
    func smallBurstIsOneWrite() async throws {
        var state = ConnectionStateMachine(db: 0, allocator: ByteBufferAllocator())
        let count = ConnectionStateMachine.earlyWriteMinimum - 1
        let kinds = try await sendGets(count, to: &state).map(kind)
        #expect(kinds == ["schedule"] + Array(repeating: "queued", count: count - 1))
        #expect(state.takeOutbound() != nil)
        // After the flush, the next command asks for a new one.
        #expect(try await sendGets(1, firstID: 100, to: &state).map(kind) == ["schedule"])
    }

    @Test("a large burst is written early, once as many commands wait as already await replies")
    func largeBurstIsWrittenEarly() async throws {
        var state = ConnectionStateMachine(db: 0, allocator: ByteBufferAllocator())
        let minimum = ConnectionStateMachine.earlyWriteMinimum
        let first = try await sendGets(minimum, to: &state).map(kind)
        #expect(first == ["schedule"] + Array(repeating: "queued", count: minimum - 2) + ["now"])
        // The early write leaves the scheduled flush in place: the commands that follow do not ask for another.
        let early = state.takeOutbound(beforeScheduledFlush: true)
        #expect(early.map { $0.readableBytes > 0 } == true)
        // `minimum` commands now await replies, so the next early write needs as many again.
        let second = try await sendGets(minimum, firstID: 1_000, to: &state).map(kind)
        #expect(second == Array(repeating: "queued", count: minimum - 1) + ["now"])
        _ = state.takeOutbound(beforeScheduledFlush: true)
        // 2 × minimum await replies now: twice as many must wait before the next early write.
        let third = try await sendGets(2 * minimum, firstID: 2_000, to: &state).map(kind)
        #expect(third == Array(repeating: "queued", count: 2 * minimum - 1) + ["now"])
        // The scheduled flush takes the rest and ends the round.
        #expect(state.takeOutbound() != nil)
        #expect(state.pendingCount == 4 * minimum)
    }

    @Test("a batch holding a command that cannot be pipelined is refused whole: nothing of it is written")
    func refusedBatchWritesNothing() async throws {
        var state = ConnectionStateMachine(db: 0, allocator: ByteBufferAllocator())
        _ = try await sendGets(1, to: &state)
        let before = state.takeOutbound()
        let commands: [(command: String, arguments: [any RedisArgument])] = [
            ("MULTI", []), ("SET", ["key", "value"]), ("subscribe", ["news"]), ("EXEC", []),
        ]
        var result: SendResult?
        _ = try await withUnsafeThrowingContinuation { (continuation: ConnectionStateMachine.ReplyContinuation) in
            result = state.sendBatch(id: 10, commands: commands, continuation: continuation)
            continuation.resume(returning: .null)
        }
        #expect(result.map(kind) == "fail")
        // The MULTI and SET encoded before SUBSCRIBE was reached are gone, and so is the transaction MULTI opened.
        #expect(state.takeOutbound() == nil)
        #expect(!state.inTransaction)
        #expect(state.pendingCount == 1)
        #expect(before.map { String(buffer: $0) } == "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
    }

    /// Sends a pipeline of `count` GETs, feeds `reads` to the state as the reader would, and returns what the
    /// pipeline's caller receives (a failure if the replies did not complete it).
    private func answerBatch(of count: Int, with reads: [[RESPValue]]) async throws -> RESPValue {
        var state = ConnectionStateMachine(db: 0, allocator: ByteBufferAllocator())
        state.isRESP3 = true
        let commands = Array(repeating: (command: "GET", arguments: ["key"] as [any RedisArgument]), count: count)
        return try await withUnsafeThrowingContinuation { continuation in
            _ = state.sendBatch(id: 1, commands: commands, continuation: continuation)
            var actions: [ConnectionStateMachine.Action] = []
            for read in reads {
                var replies = read
                #expect(throws: Never.self) { try state.receive(&replies, into: &actions) }
                #expect(replies.isEmpty)
            }
            // Never leave the caller waiting: an unfinished pipeline fails.
            state.close(error: ProtocolError("the pipeline was not answered"), into: &actions)
            for action in actions { action.run() }
        }
    }

    @Test("a pipeline's replies reach its caller in order: in one read, over several, or with a push among them")
    func batchReplies() async throws {
        let values = (0..<5).map { RESPValue.bulkString(ByteBuffer(string: "v\($0)")) }
        let push = RESPValue.push([
            .bulkString(ByteBuffer(string: "message")), .bulkString(ByteBuffer(string: "news")),
            .bulkString(ByteBuffer(string: "hi")),
        ])
        // One read holding exactly the pipeline's replies: handed over whole.
        #expect(try await answerBatch(of: 5, with: [values]) == .array(values))
        // Split over two reads, or with a push that answers no command: reply by reply, same result.
        #expect(try await answerBatch(of: 5, with: [Array(values[..<2]), Array(values[2...])]) == .array(values))
        // A read as long as the pipeline, but with a push in it, is not taken whole.
        let withPush = [Array(values[..<2]) + [push] + Array(values[2..<4]), [values[4]]]
        #expect(try await answerBatch(of: 5, with: withPush) == .array(values))
        // One reply short: the caller is not answered by the read.
        await #expect(throws: ProtocolError.self) { try await self.answerBatch(of: 5, with: [Array(values[..<4])]) }
    }
}
