extension RedisBatch {
    /// Queues a command value; after `execute()` its pending reply is the reply decoded as the command says.
    /// Nothing runs until then: no task and no recording connection per command.
    ///
    ///     let pipe = redis.pipeline()
    ///     let count = pipe.add(RedisCommand<Int>("INCR", ["visits"]))
    ///     try await pipe.execute()
    ///     print(try await count.value)
    @discardableResult
    public func add<Response>(
        _ command: RedisCommand<Response>, encoding: RedisEncoding? = nil
    ) -> RedisPendingReply<Response> {
        let queuedCommand = QueuedCommand(name: command.name, arguments: command.arguments, script: command.script)
        guard let promise = queued.add(.command(queuedCommand)) else {
            return RedisPendingReply(failing: QueuedCommands.alreadyExecuted)
        }
        let encoding = encoding ?? command.encoding ?? target.encoding ?? .utf8
        let decode = command.decode
        return RedisPendingReply { try decode(try await promise.value, encoding) }
    }

    /// Queues command values in order; one pending reply each.
    @discardableResult
    public func add<Response>(
        _ commands: [RedisCommand<Response>], encoding: RedisEncoding? = nil
    ) -> [RedisPendingReply<Response>] {
        commands.map { add($0, encoding: encoding) }
    }
}
