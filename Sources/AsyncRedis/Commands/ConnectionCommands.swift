// Connection commands, aioredis `ConnectionCommandsMixin` (AUTH and SELECT change the connection's state and stay
// on `Redis`, which passes them to the connection or pool).
extension RedisCommands {
    /// ECHO: returns `message` as the server sent it back.
    public func echo(_ message: some RedisArgument, encoding: RedisEncoding? = nil) throws -> RedisCommand<String> {
        try send("ECHO", [message], as: String.self, encoding: encoding)
    }

    /// PING: `PONG`, or `message` echoed.
    public func ping(message: (any RedisArgument)? = nil, encoding: RedisEncoding? = nil)
        throws -> RedisCommand<String>
    {
        try send("PING", message.map { [$0] } ?? [], as: String.self, encoding: encoding)
    }

    /// QUIT: the server answers OK and closes the connection.
    @discardableResult
    public func quit() throws -> RedisCommand<Bool> {
        try sendOK("QUIT", [])
    }
}
