/// Parses the textual forms of `RedisAddress`; each error names the part that is wrong.
enum RedisAddressParser {
    static func parse(_ input: String) throws -> RedisAddress {
        if input.hasPrefix("/") {
            return try parseUnix(String(input))
        }
        guard let colon = input.firstIndex(of: ":"), input[colon...].hasPrefix("://") else {
            throw InvalidAddressError(
                "'\(withoutSecrets(input))' is neither a redis://, rediss://, valkey://, valkeys:// or unix:// URI "
                    + "nor a socket path")
        }
        let scheme = input[..<colon].lowercased()
        let rest = String(input[input.index(colon, offsetBy: 3)...])
        switch scheme {
        // Valkey speaks the same protocol; its clients name their URIs after it.
        case "redis", "valkey": return try parseTCP(rest, tls: false)
        case "rediss", "valkeys": return try parseTCP(rest, tls: true)
        case "unix": return try parseUnixURI(rest)
        default:
            throw InvalidAddressError(
                "unsupported URI scheme '\(scheme)' (expected redis, rediss, valkey, valkeys or unix)")
        }
    }

    private static func parseUnix(_ rest: String) throws -> RedisAddress {
        let (path, query) = split(rest, at: "?")
        guard !path.isEmpty else { throw InvalidAddressError("unix socket URI has no path") }
        var address = RedisAddress.unix(path: try percentDecoded(path, part: "socket path"))
        try apply(query: query, to: &address, dbFromPath: nil)
        return address
    }

    /// `unix://[user:password@]/path?options`: user information, if any, comes before the absolute path.
    private static func parseUnixURI(_ rest: String) throws -> RedisAddress {
        guard !rest.hasPrefix("/"), rest.contains("@") else { return try parseUnix(rest) }
        try refuseAmbiguousUserInfo(rest)
        guard let slash = rest.firstIndex(of: "/"), let at = rest[..<slash].lastIndex(of: "@") else {
            throw InvalidAddressError("unix socket URI has user information but no absolute path after it")
        }
        var address = try parseUnix(String(rest[slash...]))
        let (username, password) = try parseUserInfo(String(rest[..<at]))
        address.username = address.username ?? username
        address.password = address.password ?? password
        return address
    }

    /// `user:password`, `:password` or `user`, percent-decoded.
    private static func parseUserInfo(_ userInfo: String) throws -> (username: String?, password: String?) {
        guard let colon = userInfo.firstIndex(of: ":") else {
            return (userInfo.isEmpty ? nil : try percentDecoded(userInfo, part: "username"), nil)
        }
        let user = String(userInfo[..<colon])
        return (
            user.isEmpty ? nil : try percentDecoded(user, part: "username"),
            try percentDecoded(String(userInfo[userInfo.index(after: colon)...]), part: "password")
        )
    }

    private static func parseTCP(_ rest: String, tls: Bool) throws -> RedisAddress {
        try refuseAmbiguousUserInfo(rest)
        let (beforeQuery, query) = split(rest, at: "?")
        let (authority, path) = split(beforeQuery, at: "/")
        var hostPort = authority
        var username: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            hostPort = String(authority[authority.index(after: at)...])
            (username, password) = try parseUserInfo(String(authority[..<at]))
        }
        let (host, port) = try parseHostPort(hostPort)
        var address = RedisAddress.tcp(host: host, port: port)
        address.useTLS = tls
        address.username = username
        address.password = password
        var dbFromPath: Int?
        if let path, !path.isEmpty {
            guard let db = Int(path), db >= 0 else {
                throw InvalidAddressError("database in URI path must be a non-negative integer, got '\(path)'")
            }
            dbFromPath = db
        }
        try apply(query: query, to: &address, dbFromPath: dbFromPath)
        return address
    }

    private static func parseHostPort(_ text: String) throws -> (String, Int) {
        var host: String
        var portText: String?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw InvalidAddressError("IPv6 host '\(text)' lacks its closing ']'")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw InvalidAddressError("unexpected '\(after)' after IPv6 host") }
                portText = String(after.dropFirst())
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
            if host.contains(":") {
                throw InvalidAddressError("IPv6 host must be in brackets, as in redis://[::1]:6379")
            }
        } else {
            host = text
        }
        if host.isEmpty { host = "localhost" }
        var port = RedisAddress.defaultPort
        if let portText {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else {
                // Only digits are quoted: in `redis://user:secret` the text after the colon is a password.
                let shown = portText.utf8.allSatisfy { (0x30...0x39).contains($0) } ? ", got '\(portText)'" : ""
                throw InvalidAddressError("port must be an integer from 1 to 65535\(shown)")
            }
            port = parsed
        }
        return (host, port)
    }

    private static func apply(query: String?, to address: inout RedisAddress, dbFromPath: Int?) throws {
        address.db = dbFromPath
        guard let query, !query.isEmpty else { return }
        for item in query.split(separator: "&") {
            let (rawKey, rawValue) = split(String(item), at: "=")
            let key = rawKey.lowercased()
            let value = try percentDecoded(rawValue ?? "", part: "query parameter '\(key)'")
            switch key {
            case "db":
                guard let db = Int(value), db >= 0 else {
                    throw InvalidAddressError("db must be a non-negative integer, got '\(value)'")
                }
                if dbFromPath != nil, dbFromPath != db {
                    throw InvalidAddressError("database given twice, in the path and as ?db=")
                }
                address.db = db
            case "password":
                address.password = value
            case "username", "user":
                address.username = value
            case "encoding":
                guard let encoding = RedisEncoding(name: value) else {
                    throw InvalidAddressError("unknown encoding '\(value)' (utf-8, ascii or latin-1)")
                }
                address.encoding = encoding
            case "ssl":
                // aioredis's `parse_url` spelling of `rediss://`.
                guard let ssl = Self.flag(value) else {
                    throw InvalidAddressError("ssl must be true or false, got '\(value)'")
                }
                guard case .tcp = address.endpoint else {
                    throw InvalidAddressError("ssl applies to TCP addresses, not to a unix socket")
                }
                if !ssl && address.useTLS {
                    throw InvalidAddressError("ssl=false contradicts the TLS scheme (rediss:// or valkeys://)")
                }
                address.useTLS = address.useTLS || ssl
            case "timeout":
                // Bounded (about 31 years) so that the milliseconds fit in an Int64.
                guard let seconds = Double(value), seconds > 0, seconds <= 1e9 else {
                    throw InvalidAddressError(
                        "timeout must be a positive number of seconds up to 1e9, got '\(value)'")
                }
                address.timeout = .milliseconds(Int64((seconds * 1000).rounded()))
            default:
                // A name is quoted only when it looks like one: a misplaced `user:password@` could be read as one.
                throw InvalidAddressError(
                    isParameterName(key) ? "unknown URI query parameter '\(key)'" : "unknown URI query parameter")
            }
        }
    }

    /// A password (or user name) holding an unencoded `/`, `?`, `#` or `@` makes the URI ambiguous: the
    /// authority ends at the first `/`, `?` or `#`, so part of the secret would be read as a host, port, database
    /// or query and quoted in the error about it. Such a URI is refused before it is split, naming no part of it.
    private static func refuseAmbiguousUserInfo(_ rest: String) throws {
        guard let lastAt = rest.lastIndex(of: "@") else { return }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let userInfo = authorityEnd > lastAt ? rest[..<lastAt] : rest[..<authorityEnd]
        if authorityEnd > lastAt {
            // The `@` ends the user information; one more inside it belongs to the secret.
            guard userInfo.contains("@") else { return }
        } else if rest[authorityEnd] == "?", isInQueryValue(lastAt, of: rest[authorityEnd...]) {
            // `?username=me@example.com`: an `@` in a query value is data.
            return
        }
        throw InvalidAddressError(
            "the URI's user information holds a '/', '?', '#' or '@' that is not percent-encoded, so where the "
                + "password ends is ambiguous: percent-encode the password (%2F for '/', %3F for '?', %23 for '#', "
                + "%40 for '@')")
    }

    /// Whether `index` lies after the `=` of its `&`-separated query item.
    private static func isInQueryValue(_ index: String.Index, of query: Substring) -> Bool {
        let itemStart = query[..<index].lastIndex { $0 == "&" || $0 == "?" } ?? query.startIndex
        return query[itemStart..<index].contains("=") && !query[itemStart..<index].contains("#")
    }

    /// `input` as an error may quote it: the user information and the query, which may hold a password, left out.
    private static func withoutSecrets(_ input: String) -> String {
        var shown = input
        if let at = shown.lastIndex(of: "@") {
            let schemeEnd = shown.firstRange(of: "://")?.upperBound ?? shown.startIndex
            shown = schemeEnd < at ? shown[..<schemeEnd] + "…" + shown[at...] : "…" + shown[at...]
        }
        if let query = shown.firstIndex(of: "?") { shown = shown[..<query] + "?…" }
        return shown
    }

    /// Lowercase letters, digits, `_` and `-`, at most 32 of them.
    private static func isParameterName(_ key: String) -> Bool {
        key.utf8.count <= 32
            && key.utf8.allSatisfy { byte in
                byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            }
    }

    private static func flag(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: return nil
        }
    }

    private static func split(_ text: String, at separator: Character) -> (String, String?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (String(text[..<index]), String(text[text.index(after: index)...]))
    }

    private static func percentDecoded(_ text: String, part: String) throws -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw InvalidAddressError("bad percent-escape in \(part)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw InvalidAddressError("\(part) is not valid UTF-8 once percent-decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

