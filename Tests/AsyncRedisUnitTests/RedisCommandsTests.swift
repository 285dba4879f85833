import Foundation
import NIOCore
import Testing

@testable import AsyncRedis

@Suite("RedisCommands: the command values behind Redis's methods")
struct RedisCommandsTests {
    @Test("a builder makes the command its Redis method sends, with its arguments, key positions and reply type")
    func builtCommands() throws {
        let commands = RedisCommands()
        let set = try commands.set("k", "v", exist: .ifNotExists)
        #expect(set.name == "SET")
        #expect(set.arguments.map(Self.text) == ["k", "v", "NX"])
        #expect(set.keyIndices == [0])
        #expect(try set.decode(.simpleString(ByteBuffer(string: "OK")), .utf8) == true)

        let hscan = try commands.hscan("h", cursor: 7, count: 10)
        let reply = RESPValue.array([
            .bulkString(ByteBuffer(string: "0")),
            .array([.bulkString(ByteBuffer(string: "f")), .bulkString(ByteBuffer(string: "v"))]),
        ])
        let step = try hscan.decode(reply, .utf8)
        #expect(step.cursor == 0)
        #expect(step.items.map(\.field) == ["f"] && step.items.map(\.value) == ["v"])
    }

    @Test("arguments Redis would refuse fail when the command is built, before anything is sent")
    func refusedArguments() {
        #expect(throws: InvalidArgumentError.self) { try RedisCommands().bitcount("k", start: 1) }
        #expect(throws: InvalidArgumentError.self) { try RedisCommands().mget([]) }
    }

    @Test("a method's encoding: argument travels with its command")
    func encodingTravels() throws {
        let get = try RedisCommands().get("k", encoding: .latin1)
        #expect(get.encoding == .latin1)
        #expect(try RedisCommands().get("k").encoding == nil)
    }

    @Test("Redis+CommandMethods.swift is what scripts/generate-redis-methods.py writes from the builders")
    func generatedMethodsAreCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", root.appendingPathComponent("scripts/generate-redis-methods.py").path, "--check"]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "run python3 scripts/generate-redis-methods.py and commit the result")
    }

    /// An argument's bytes as text.
    static func text(_ argument: any RedisArgument) -> String {
        var buffer = ByteBuffer()
        argument.writeRESPBulk(into: &buffer)
        let bulk = String(buffer: buffer)  // $<length>\r\n<bytes>\r\n
        return String(bulk.split(separator: "\r\n", omittingEmptySubsequences: false)[1])
    }
}
