/// CLIENT TRACKINGINFO: how the connection's client-side caching support is set up.
public struct RedisTrackingInfo: Sendable, Hashable {
    /// `off`, `on`, `bcast`, `optin`, `optout`, `caching-yes`, `caching-no`, `noloop`, `broken_redirect`.
    public var flags: Set<String>
    /// The id of the client invalidations go to; 0 when they come on this connection, -1 when tracking is off.
    public var redirect: Int
    /// The key prefixes of BCAST mode.
    public var prefixes: [String]
}

/// How CLIENT UNBLOCK ends the blocking command it interrupts.
public enum ClientUnblockMode: String, Sendable, Hashable {
    /// TIMEOUT (the command returns as if it timed out) or ERROR (it fails with an `UNBLOCKED` error).
    case timeout = "TIMEOUT", error = "ERROR"
}

// The CLIENT subcommands for client-side caching, unblocking and eviction (Redis 6 and 7).
extension RedisCommands {
    /// CLIENT TRACKING on or off for this connection (client-side caching): invalidations go to the client
    /// `redirect` names (else come on this connection, RESP3 only), `prefixes` with `broadcast` (BCAST),
    /// `optIn`/`optOut` (OPTIN/OPTOUT) and `noLoop` (NOLOOP) as Redis documents them. Use it on a single
    /// connection or within `withConnection`; `clientCache:` sets tracking up for a pool.
    @discardableResult
    public func clientTracking(
        _ on: Bool, redirect: Int? = nil, prefixes: [String] = [], broadcast: Bool = false, optIn: Bool = false,
        optOut: Bool = false, noLoop: Bool = false
    ) throws -> RedisCommand<Bool> {
        guard !(optIn && optOut) else { throw InvalidArgumentError("optIn and optOut exclude each other") }
        var arguments: [any RedisArgument] = ["TRACKING", on ? "ON" : "OFF"]
        if let redirect { arguments += ["REDIRECT", redirect] }
        for prefix in prefixes { arguments += ["PREFIX", prefix] }
        if broadcast { arguments.append("BCAST") }
        if optIn { arguments.append("OPTIN") }
        if optOut { arguments.append("OPTOUT") }
        if noLoop { arguments.append("NOLOOP") }
        return try sendOK("CLIENT", arguments)
    }

    /// CLIENT TRACKINGINFO of this connection (Redis 6.2).
    public func clientTrackingInfo() throws -> RedisCommand<RedisTrackingInfo> {
        try send("CLIENT", ["TRACKINGINFO"], as: [String: RESPValue].self, encoding: .utf8).map { fields, _ in
            guard let flags = fields["flags"], let redirect = fields["redirect"], let prefixes = fields["prefixes"]
            else { throw UnexpectedReplyError("CLIENT TRACKINGINFO: fields \(fields.keys.sorted())") }
            return RedisTrackingInfo(
                flags: try Set<String>(fromRESP: flags, encoding: .utf8),
                redirect: try Int(fromRESP: redirect, encoding: .utf8),
                prefixes: try [String](fromRESP: prefixes, encoding: .utf8))
        }
    }

    /// CLIENT GETREDIR: the id of the client this connection's invalidations go to; 0 when they come on this
    /// connection, -1 when tracking is off.
    public func clientGetRedir() throws -> RedisCommand<Int> {
        try send("CLIENT", ["GETREDIR"], as: Int.self)
    }

    /// CLIENT CACHING YES/NO: in OPTIN (OPTOUT) tracking mode, whether the keys the next command reads are
    /// tracked (untracked).
    @discardableResult
    public func clientCaching(_ yes: Bool) throws -> RedisCommand<Bool> {
        try sendOK("CLIENT", ["CACHING", yes ? "YES" : "NO"])
    }

    /// CLIENT NO-EVICT ON/OFF: whether this connection is exempt from client eviction (Redis 7).
    @discardableResult
    public func clientNoEvict(_ on: Bool) throws -> RedisCommand<Bool> {
        try sendOK("CLIENT", ["NO-EVICT", on ? "ON" : "OFF"])
    }

    /// CLIENT UNBLOCK: interrupts the blocking command client `id` waits in; true when it was blocked.
    @discardableResult
    public func clientUnblock(_ id: Int, mode: ClientUnblockMode? = nil) throws -> RedisCommand<Bool> {
        try send("CLIENT", ["UNBLOCK", id] + (mode.map { [$0.rawValue] } ?? []), as: Bool.self)
    }

    /// CLIENT UNPAUSE: ends a CLIENT PAUSE.
    @discardableResult
    public func clientUnpause() throws -> RedisCommand<Bool> {
        try sendOK("CLIENT", ["UNPAUSE"])
    }
}
