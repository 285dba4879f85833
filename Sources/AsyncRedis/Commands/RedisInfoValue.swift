/// One INFO value, parsed as aioredis's `parse_info` does: whole numbers as `.integer`, decimals as `.double`,
/// `key=value,key=value` entries (`db0:keys=1,expires=0`, `cmdstat_get:calls=3,...`) as `.fields`, anything
/// else (versions, `ok`, `1.05M`) as `.text`.
public enum RedisInfoValue: Sendable, Hashable {
    case integer(Int)
    case double(Double)
    case text(String)
    case fields([String: RedisInfoValue])

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

    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public subscript(field: String) -> RedisInfoValue? {
        if case .fields(let fields) = self { return fields[field] }
        return nil
    }
}

extension Redis {
    /// INFO with values parsed (aioredis's `info()` shape): sections (lowercased) of key → `RedisInfoValue`, so
    /// `info["keyspace"]?["db0"]?["keys"]?.int` is the number of keys in db 0.
    public func infoParsed(_ section: String? = nil) async throws -> [String: [String: RedisInfoValue]] {
        try await info(section).mapValues { $0.mapValues(RedisInfoValue.init(parsing:)) }
    }
}
