// HyperLogLog commands, aioredis `HyperLogLogCommandsMixin`.
extension Redis {
    /// PFADD: true when the estimated cardinality changed.
    @discardableResult
    public func pfadd(_ key: String, _ element: any RedisArgument, _ elements: any RedisArgument...)
        async throws -> Bool
    {
        try await pfadd(key, elements: [element] + elements)
    }

    /// PFADD of a collection of elements; with none, it only creates the key if missing (true when it did).
    @discardableResult
    public func pfadd(_ key: String, elements: [any RedisArgument]) async throws -> Bool {
        try await send("PFADD", [key] + elements, as: Bool.self)
    }

    /// PFCOUNT: the approximate cardinality of the union of the keys.
    public func pfcount(_ key: String, _ keys: String...) async throws -> Int {
        try await send("PFCOUNT", [key] + keys, as: Int.self)
    }

    /// PFMERGE the sources into `destination`.
    @discardableResult
    public func pfmerge(_ destination: String, _ source: String, _ sources: String...) async throws -> Bool {
        try await sendOK("PFMERGE", [destination, source] + sources)
    }
}
