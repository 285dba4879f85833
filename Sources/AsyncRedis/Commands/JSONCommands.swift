#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON `Codable` helpers over GET and SET (beyond aioredis, whose users call json.loads themselves).
extension Redis {
    /// GETs a key and decodes its JSON value; `nil` when the key does not exist.
    public func getJSON<T: Decodable>(_ key: String, as type: T.Type = T.self) async throws -> T? {
        guard let bytes = try await connection.execute("GET", key, as: [UInt8]?.self) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(bytes))
    }

    /// SETs a key to the JSON encoding of `value`, with SET's options.
    @discardableResult
    public func setJSON(
        _ key: String, _ value: some Encodable, expire: Duration? = nil, pexpire: Duration? = nil,
        exist: SetCondition? = nil
    ) async throws -> Bool {
        try await set(key, try JSONEncoder().encode(value), expire: expire, pexpire: pexpire, exist: exist)
    }
}
