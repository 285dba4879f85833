import NIOCore

/// The bytes an argument sends, for the few places that must read arguments rather than write them (finding
/// keys after a keyword, reading a key count, naming a subcommand).
enum RedisArgumentPayload {
    static func bytes(of argument: any RedisArgument) -> [UInt8] {
        var bulk = ByteBuffer()
        argument.writeRESPBulk(into: &bulk)
        // A bulk string is `$<count>\r\n<payload>\r\n`: the payload starts after the first line feed.
        let view = bulk.readableBytesView
        guard let lineFeed = view.firstIndex(of: UInt8(ascii: "\n")), view.count >= lineFeed + 3 else { return [] }
        return Array(view[(lineFeed + 1)..<(view.endIndex - 2)])
    }

    /// Whether `argument` spells `word` (given in lowercase), ignoring ASCII case, as the server's `strcasecmp`.
    static func equalsIgnoringCase(_ argument: [UInt8], _ word: String) -> Bool {
        argument.count == word.utf8.count && zip(argument, word.utf8).allSatisfy { RedisCommandIndex.fold($0) == $1 }
    }

    /// The argument as a whole decimal integer, as the server's `string2ll` reads it; `nil` otherwise.
    static func integer(_ argument: [UInt8]) -> Int? {
        Int(String(decoding: argument, as: UTF8.self))
    }
}
