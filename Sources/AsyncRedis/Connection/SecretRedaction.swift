/// What descriptions and reflection show in place of a password: whether one is set, never what it is.
///
/// `dump()`, `Mirror` and the default `description` of a struct or class print every stored property; a
/// password would then end up in logs and crash reports. The types that hold credentials, directly or through a
/// configuration, reflect a chosen set of children instead (`CustomReflectable`).
enum SecretRedaction {
    static let placeholder = "<redacted>"

    /// `placeholder` for a set secret, nil for none.
    static func redacted(_ secret: String?) -> String? {
        secret.map { _ in placeholder }
    }
}

extension RedisAddress: CustomReflectable {
    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "endpoint": endpoint, "username": username as Any,
                "password": SecretRedaction.redacted(password) as Any, "db": db as Any,
                "encoding": encoding as Any, "timeout": timeout as Any, "useTLS": useTLS,
            ],
            displayStyle: .struct)
    }
}

extension RedisConnectionConfiguration: CustomStringConvertible, CustomReflectable {
    /// The address, user and database; a password shows as set or not.
    public var description: String {
        var text = "RedisConnectionConfiguration(\(address), db: \(db)"
        if let username { text += ", username: \(username)" }
        if password != nil { text += ", password: \(SecretRedaction.placeholder)" }
        if tls != nil { text += ", tls" }
        return text + ", protocol: RESP\(protocolVersion))"
    }

    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "address": address, "db": db, "username": username as Any,
                "password": SecretRedaction.redacted(password) as Any, "usesTLS": tls != nil,
                "encoding": encoding as Any, "timeout": timeout as Any, "replyLimits": replyLimits,
                "protocolVersion": protocolVersion,
            ],
            displayStyle: .struct)
    }
}

extension RedisConnectionOptions: CustomStringConvertible, CustomReflectable {
    /// The options that are set; a password shows as set or not.
    public var description: String {
        var parts: [String] = []
        if let db { parts.append("db: \(db)") }
        if let username { parts.append("username: \(username)") }
        if password != nil { parts.append("password: \(SecretRedaction.placeholder)") }
        if tls != nil { parts.append("tls") }
        parts.append("protocol: RESP\(protocolVersion)")
        return "RedisConnectionOptions(\(parts.joined(separator: ", ")))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "db": db as Any, "username": username as Any, "password": SecretRedaction.redacted(password) as Any,
                "usesTLS": tls != nil, "encoding": encoding as Any, "timeout": timeout as Any,
                "commandTimeout": commandTimeout as Any, "protocolVersion": protocolVersion,
            ],
            displayStyle: .struct)
    }
}

extension SentinelConfiguration: CustomReflectable {
    var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "node": node, "sentinelUsername": sentinelUsername as Any,
                "sentinelPassword": SecretRedaction.redacted(sentinelPassword) as Any, "minSize": minSize,
                "maxSize": maxSize, "failoverTimeout": failoverTimeout,
            ],
            displayStyle: .struct)
    }
}

// The public classes below reflect what their public properties say, not their stored state: that holds the
// configuration (and a pool's state the credentials `auth` set last).

extension RedisConnection: CustomReflectable {
    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(self, children: ["address": address, "db": db, "isClosed": isClosed], displayStyle: .class)
    }
}

extension ConnectionsPool: CustomReflectable {
    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(
            self, children: ["address": address, "db": db, "minSize": minSize, "maxSize": maxSize, "size": size],
            displayStyle: .class)
    }
}

extension Redis: CustomReflectable {
    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(self, children: ["connection": connection], displayStyle: .class)
    }
}

extension RedisSubscriber: CustomReflectable {
    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(self, children: ["connection": connection, "resubscribes": resubscribes], displayStyle: .class)
    }
}

extension SentinelPool: CustomReflectable {
    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(self, children: ["sentinels": sentinels, "isClosed": isClosed], displayStyle: .class)
    }
}

extension RedisSentinel: CustomReflectable {
    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(self, children: ["pool": pool], displayStyle: .class)
    }
}

extension SentinelManagedPool: CustomReflectable {
    /// The stored properties, with any password shown as `<redacted>`.
    public var customMirror: Mirror {
        Mirror(
            self, children: ["name": name, "role": role, "nodeAddresses": nodeAddresses, "sentinel": sentinel],
            displayStyle: .class)
    }
}
