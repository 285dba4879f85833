/// How the replies of SENTINEL MASTER, SENTINEL REPLICAS and ROLE are read during discovery.
enum SentinelReplies {
    /// A node's fields from SENTINEL MASTER / REPLICAS / SENTINELS: a flat list (RESP2) or a map (RESP3).
    static func fields(_ reply: RESPValue) throws -> [String: String] {
        try [String: String](fromRESP: reply, encoding: .utf8)
    }

    /// The announced host and port of a node, if its fields hold both.
    static func hostAndPort(_ fields: [String: String]) -> (host: String, port: Int)? {
        guard let host = fields["ip"], let port = fields["port"].flatMap(Int.init) else { return nil }
        return (host, port)
    }

    /// A node that sentinels see as subjectively or objectively down, or cannot reach, is not offered.
    static func isHealthy(_ fields: [String: String]) -> Bool {
        let flags = Set((fields["flags"] ?? "").split(separator: ",").map(String.init))
        return flags.isDisjoint(with: ["s_down", "o_down", "disconnected"])
    }

    /// Whether the server said it does not monitor the name (`ERR No such master with that name`).
    static func isUnknownMaster(_ error: ReplyError) -> Bool {
        error.message.lowercased().contains("no such master")
    }

    /// The role a node reports with ROLE: `master`, `slave` or `sentinel`.
    static func role(_ reply: RESPValue) throws -> String {
        let items = try [RESPValue](fromRESP: reply, encoding: .utf8)
        guard let first = items.first else { throw UnexpectedReplyError("ROLE answered an empty reply") }
        return try String(fromRESP: first, encoding: .utf8)
    }
}
