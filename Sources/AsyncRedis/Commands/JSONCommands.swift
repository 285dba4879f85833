#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON `Codable` helpers over GET and SET (beyond aioredis, whose users call json.loads themselves).
extension RedisCommands {
    /// SET a key to the JSON encoding of `value`, with SET's options.
    @discardableResult
    public func setJSON(
        _ key: some RedisKeyConvertible, _ value: some Encodable, expire: Duration? = nil, pexpire: Duration? = nil,
        exist: SetCondition? = nil
    ) throws -> RedisCommand<Bool> {
        try set(key, try JSONEncoder().encode(value), expire: expire, pexpire: pexpire, exist: exist)
    }
}

extension Redis {
    /// GETs a key and decodes its JSON value; `nil` when the key does not exist.
    ///
    /// Redis `GET`: Get the value of a key
    /// - Since: Redis 1.0.0
    /// - Complexity: O(1)
    public func getJSON<T: Decodable>(_ key: String, as type: T.Type = T.self) async throws -> T? {
        guard let bytes = try await connection.execute("GET", key, as: [UInt8]?.self) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(bytes))
    }
}
