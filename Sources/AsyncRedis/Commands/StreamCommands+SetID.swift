// XSETID, which replication and AOF use to carry a stream's last id.
extension RedisCommands {
    /// XSETID: sets the stream's last generated id (and, Redis 7, its entries-added counter and maximal deleted
    /// id); the new last id may not be below the stream's top entry.
    @discardableResult
    public func xsetid(_ key: some RedisKeyConvertible, lastID: String, entriesAdded: Int? = nil,
                       maxDeletedID: String? = nil) throws -> RedisCommand<Bool> {
        var arguments: [any RedisArgument] = [key, lastID]
        if let entriesAdded { arguments += ["ENTRIESADDED", entriesAdded] }
        if let maxDeletedID { arguments += ["MAXDELETEDID", maxDeletedID] }
        return try sendOK("XSETID", arguments)
    }
}
