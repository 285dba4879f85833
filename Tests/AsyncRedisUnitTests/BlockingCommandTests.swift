import Testing

@testable import AsyncRedis

@Suite("Blocking commands: the server-side wait, read without a server")
struct BlockingCommandTests {
    @Test("the server-side wait is read from each blocking command's arguments")
    func blockingArguments() {
        typealias Wait = BlockingCommand.ServerWait
        let cases: [(String, [any RedisArgument], Wait)] = [
            ("GET", ["k"], .none),
            ("BLPOP", ["a", "b", 2], .upTo(.seconds(2))),
            ("brpop", ["a", "0.5"], .upTo(.milliseconds(500))),
            ("BRPOPLPUSH", ["a", "b", 0], .forever),
            ("BLMOVE", ["a", "b", "LEFT", "RIGHT", 3], .upTo(.seconds(3))),
            ("BZPOPMIN", ["z", 1.5], .upTo(.milliseconds(1500))),
            ("BLMPOP", [4, 1, "a", "LEFT"], .upTo(.seconds(4))),
            ("BZMPOP", [0, 1, "z", "MIN"], .forever),
            ("XREAD", ["COUNT", 1, "BLOCK", 250, "STREAMS", "s", "$"], .upTo(.milliseconds(250))),
            ("XREADGROUP", ["GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">"], .forever),
            ("XREAD", ["STREAMS", "BLOCK", "0"], .none),
            ("WAIT", [1, 100], .upTo(.milliseconds(100))),
            ("WAITAOF", [1, 0, 0], .forever),
            ("BLPOP", ["a", "soon"], .none),
        ]
        for (command, arguments, expected) in cases {
            #expect(BlockingCommand.serverWait(command, arguments) == expected, "\(command) \(arguments)")
        }
        #expect(BlockingCommand.limit("BLPOP", ["a", 2], timeout: .seconds(1)) == .seconds(3))
        #expect(BlockingCommand.limit("BLPOP", ["a", 0], timeout: .seconds(1)) == nil)
    }
}
