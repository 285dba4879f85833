/// A `MOVED <slot> <host>:<port>` or `ASK <slot> <host>:<port>` answer.
struct ClusterRedirection: Sendable {
    enum Kind: Sendable { case moved, ask }

    let kind: Kind
    let slot: Int
    let target: ClusterEndpoint

    /// Reads `error` as a redirection; `replyingHost` stands in for an empty host (Redis 7 leaves it out when the
    /// target has no known endpoint: "the node you asked").
    init?(_ error: ReplyError, replyingHost: String) {
        switch error.code {
        case "MOVED": kind = .moved
        case "ASK": kind = .ask
        default: return nil
        }
        let words = error.message.split(separator: " ")
        guard words.count >= 3, let slot = Int(words[1]), (0..<ClusterKeySlot.slotCount).contains(slot),
            let colon = words[2].lastIndex(of: ":"), let port = Int(words[2][words[2].index(after: colon)...])
        else { return nil }
        var host = String(words[2][..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }  // [::1]:port
        self.slot = slot
        self.target = ClusterEndpoint(host: host.isEmpty ? replyingHost : host, port: port)
    }
}
