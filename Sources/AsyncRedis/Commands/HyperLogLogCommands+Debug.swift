// The HyperLogLog commands Redis keeps for testing its own implementation.
extension RedisCommands {
    /// PFSELFTEST: runs the server's HyperLogLog self test; true when it passes.
    @discardableResult
    public func pfselftest() throws -> RedisCommand<Bool> {
        try sendOK("PFSELFTEST", [])
    }

    /// PFDEBUG: an internal HyperLogLog debugging subcommand (GETREG, DECODE, ENCODING, TODENSE) on `key`; the
    /// reply is free-form and depends on the subcommand.
    public func pfdebug(_ subcommand: String, _ key: some RedisKeyConvertible) throws -> RedisCommand<RESPValue> {
        try send("PFDEBUG", [subcommand, key])
    }
}
