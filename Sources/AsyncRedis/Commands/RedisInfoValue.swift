/// One INFO value, parsed as aioredis's `parse_info` does: whole numbers as `.integer`, decimals as `.double`,
/// `key=value,key=value` entries (`db0:keys=1,expires=0`, `cmdstat_get:calls=3,...`) as `.fields`, anything
/// else (versions, `ok`, `1.05M`) as `.text`.
public enum RedisInfoValue: Sendable, Hashable {
    /// A whole number.
    case integer(Int)
    /// A number with a fraction.
    case double(Double)
    /// Anything else, as text.
    case text(String)
    /// `key=value,...` entries (such as `db0:keys=1,expires=0`), by key.
    case fields([String: RedisInfoValue])

    /// Parses one INFO value: a number, text, or `key=value,...` fields.
    public init(parsing text: String) {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false)
        if text.contains("="), entries.allSatisfy({ $0.contains("=") }) {
            var fields: [String: RedisInfoValue] = [:]
            for entry in entries {
                let equals = entry.firstIndex(of: "=")!
                fields[String(entry[..<equals])] = RedisInfoValue(scalar: String(entry[entry.index(after: equals)...]))
            }
            self = .fields(fields)
        } else {
            self = RedisInfoValue(scalar: text)
        }
    }

    /// A number when the text is nothing but one (no `inf`, `nan` or exponent: a hex run id must stay text).
    private init(scalar text: String) {
        if let integer = Int(text) {
            self = .integer(integer)
        } else if text.contains("."), text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
            let double = Double(text)
        {
            self = .double(double)
        } else {
            self = .text(text)
        }
    }

    /// The value as an integer, when it is one.
    public var int: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The value as a `Double`, whole numbers included.
    public var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The value as text.
    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// A field of a `key=value,...` value.
    public subscript(field: String) -> RedisInfoValue? {
        if case .fields(let fields) = self { return fields[field] }
        return nil
    }
}

extension Redis {
    /// INFO with values parsed (aioredis's `info()` shape): sections (lowercased) of key → `RedisInfoValue`, so
    /// `info["keyspace"]?["db0"]?["keys"]?.int` is the number of keys in db 0.
    ///
    /// Redis `INFO`: Get information and statistics about the server
    /// - Since: Redis 1.0.0
    /// - Complexity: O(1)
    public func infoParsed(_ section: String? = nil) async throws -> [String: [String: RedisInfoValue]] {
        try await info(section).mapValues { $0.mapValues(RedisInfoValue.init(parsing:)) }
    }
}
