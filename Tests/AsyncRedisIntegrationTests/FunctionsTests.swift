import AsyncRedis
import Foundation
import Testing

/// A library name and function-name prefix no other test uses (functions are server-global, and a function name
/// may belong to one library only).
private func uniqueLibrary(_ label: String = #function) -> String {
    "lib_\(label.prefix { $0 != "(" })_\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
}

/// A library with a writing function `<name>_incr` and a `no-writes` function `<name>_echo` with a description.
private func libraryCode(_ name: String, incrementBy step: Int = 1) -> String {
    """
    #!lua name=\(name)
    redis.register_function('\(name)_incr', function(keys, args)
        return redis.call('INCRBY', keys[1], (tonumber(args[1]) or 1) * \(step))
    end)
    redis.register_function{
        function_name = '\(name)_echo',
        callback = function(keys, args) return {keys[1] or '', args[1], args[2]} end,
        flags = {'no-writes'},
        description = 'echoes its first key and two arguments',
    }
    """
}

// Serialized: one test flushes every library of the server. No other suite uses functions.
@Suite(
    "Functions: FUNCTION LOAD/LIST/DELETE/FLUSH, FCALL, FCALL_RO", .serialized,
    .needsRedis7("functions (FUNCTION, FCALL, FCALL_RO) are new in Redis 7.0"))
struct FunctionsTests {
    @Test("functionLoad returns the library name; fcall and fcallRO run its functions", arguments: [2, 3])
    func loadAndCall(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let library = uniqueLibrary()
            let key = uniqueKey()
            #expect(try await redis.functionLoad(libraryCode(library)) == library)
            #expect(try await redis.fcall("\(library)_incr", keys: [key], args: [5], as: Int.self) == 5)
            #expect(try await redis.fcall("\(library)_incr", keys: [key]) == .integer(6))
            #expect(try await redis.get(key) == "6")
            #expect(try await redis.fcallRO("\(library)_echo", keys: [key], args: ["a", 2], as: [String].self)
                == [key, "a", "2"])
            let raw = try await redis.fcallRO("\(library)_echo", keys: [key], args: ["x", "y"])
            #expect(try [String](fromRESP: raw, encoding: .utf8) == [key, "x", "y"])
            // The no-writes function works through FCALL too.
            #expect(try await redis.fcall("\(library)_echo", args: ["p", "q"], as: [String].self) == ["", "p", "q"])

            // FCALL_RO refuses a function not flagged no-writes; the server's error comes through.
            let error = await expectReplyError(code: "ERR") {
                try await redis.fcallRO("\(library)_incr", keys: [key], args: [1])
            }
            #expect(error?.message.contains("write flag") == true, "\(String(describing: error))")
            #expect(try await redis.get(key) == "6")
            await expectReplyError(code: "ERR") { try await redis.fcall("no_such_function_\(library)") }
            try await redis.functionDelete(library)
            try await redis.del(key)
        }
    }

    @Test("loading a library twice needs replace; replace swaps the code in")
    func replace() async throws {
        try await withRedis { redis in
            let library = uniqueLibrary()
            let key = uniqueKey()
            try await redis.functionLoad(libraryCode(library))
            let error = await expectReplyError(code: "ERR") {
                try await redis.functionLoad(libraryCode(library, incrementBy: 10))
            }
            #expect(error?.message.contains("already exists") == true, "\(String(describing: error))")
            #expect(try await redis.fcall("\(library)_incr", keys: [key], as: Int.self) == 1)
            #expect(try await redis.functionLoad(libraryCode(library, incrementBy: 10), replace: true) == library)
            #expect(try await redis.fcall("\(library)_incr", keys: [key], as: Int.self) == 11)
            // Code that does not compile is the server's error, and leaves the library as it was.
            await expectReplyError(code: "ERR") {
                try await redis.functionLoad("#!lua name=\(library)\nthis is not lua", replace: true)
            }
            #expect(try await redis.fcall("\(library)_incr", keys: [key], as: Int.self) == 21)
            try await redis.functionDelete(library)
            try await redis.del(key)
        }
    }

    @Test("functionList describes libraries and functions, with and without code", arguments: [2, 3])
    func list(protocolVersion: Int) async throws {
        try await withRedis(protocolVersion: protocolVersion) { redis in
            let library = uniqueLibrary()
            let code = libraryCode(library)
            try await redis.functionLoad(code)
            let listed = try await redis.functionList(libraryName: library)
            #expect(listed.count == 1)
            let found = try #require(listed.first)
            #expect(found.libraryName == library)
            #expect(found.engine == "LUA")
            #expect(found.code == nil)
            let functions = found.functions.sorted { $0.name < $1.name }
            #expect(functions == [
                RedisFunction(name: "\(library)_echo", description: "echoes its first key and two arguments",
                              flags: ["no-writes"]),
                RedisFunction(name: "\(library)_incr", description: nil, flags: []),
            ])
            let withCode = try await redis.functionList(libraryName: library, withCode: true)
            #expect(withCode.map(\.code) == [code])
            #expect(withCode.first?.functions.count == 2)
            // LIBRARYNAME is a pattern; the full list includes ours.
            #expect(try await redis.functionList(libraryName: "\(library)*").map(\.libraryName) == [library])
            #expect(try await redis.functionList().contains { $0.libraryName == library })
            #expect(try await redis.functionList(libraryName: "\(library)_nothing_else") == [])
            try await redis.functionDelete(library)
        }
    }

    @Test("functionDelete removes a library and its functions; deleting it again is the server's error")
    func delete() async throws {
        try await withRedis { redis in
            let library = uniqueLibrary()
            try await redis.functionLoad(libraryCode(library))
            #expect(try await redis.functionDelete(library))
            #expect(try await redis.functionList(libraryName: library) == [])
            await expectReplyError(code: "ERR") { try await redis.fcall("\(library)_incr", keys: [uniqueKey()]) }
            let error = await expectReplyError(code: "ERR") { try await redis.functionDelete(library) }
            #expect(error?.message.contains("not found") == true, "\(String(describing: error))")
            // The function names are free again.
            #expect(try await redis.functionLoad(libraryCode(library)) == library)
            try await redis.functionDelete(library)
        }
    }

    @Test("functionFlush empties the server's libraries, in either mode")
    func flush() async throws {
        try await withRedis { redis in
            let first = uniqueLibrary(), second = uniqueLibrary()
            try await redis.functionLoad(libraryCode(first))
            try await redis.functionLoad(libraryCode(second))
            #expect(try await redis.functionList().count >= 2)
            #expect(try await redis.functionFlush(mode: .sync))
            #expect(try await redis.functionList() == [])
            try await redis.functionLoad(libraryCode(first))
            #expect(try await redis.functionFlush(mode: .async))
            #expect(try await redis.functionList() == [])
            try await redis.functionLoad(libraryCode(second))
            #expect(try await redis.functionFlush())
            #expect(try await redis.functionList() == [])
        }
    }
}
