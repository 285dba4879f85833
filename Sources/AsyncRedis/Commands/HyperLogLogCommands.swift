// HyperLogLog commands, aioredis `HyperLogLogCommandsMixin`.
extension RedisCommands {
    /// PFADD: true when the estimated cardinality changed.
    @discardableResult
    public func pfadd(_ key: some RedisKeyConvertible, _ element: any RedisArgument, _ elements: any RedisArgument...)
        throws -> RedisCommand<Bool>
    {
        try pfaddListForm(key, element, elements)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func pfaddListForm(_ key: some RedisKeyConvertible, _ element: any RedisArgument, _ elements: [any RedisArgument])
        throws -> RedisCommand<Bool>
    {
        try pfadd(key, elements: [element] + elements)
    }

    /// PFADD of a collection of elements; with none, it only creates the key if missing (true when it did).
    @discardableResult
    public func pfadd(_ key: some RedisKeyConvertible, elements: [any RedisArgument]) throws -> RedisCommand<Bool> {
        try send("PFADD", [key] + elements, as: Bool.self)
    }

    /// PFCOUNT: the approximate cardinality of the union of the keys.
    public func pfcount(_ key: some RedisKeyConvertible, _ keys: any RedisKeyConvertible...)
        throws -> RedisCommand<Int>
    {
        try pfcountListForm(key, keys)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func pfcountListForm(_ key: some RedisKeyConvertible, _ keys: [any RedisKeyConvertible])
        throws -> RedisCommand<Int>
    {
        try send("PFCOUNT", [key] + keys, as: Int.self)
    }

    /// PFMERGE the sources into `destination`.
    @discardableResult
    public func pfmerge(_ destination: some RedisKeyConvertible, _ source: some RedisKeyConvertible,
            _ sources: any RedisKeyConvertible...)
        throws -> RedisCommand<Bool>
    {
        try pfmergeListForm(destination, source, sources)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func pfmergeListForm(_ destination: some RedisKeyConvertible, _ source: some RedisKeyConvertible,
            _ sources: [any RedisKeyConvertible])
        throws -> RedisCommand<Bool>
    {
        try sendOK("PFMERGE", [destination, source] + sources)
    }
}
