/// One command of a pipeline or MULTI/EXEC block.
struct QueuedCommand: Sendable {
    let name: String
    let arguments: [any RedisArgument]
    /// The script an EVALSHA runs, when queued as `RedisScript.command`: the batch loads it ahead.
    var script: RedisScript? = nil
}

/// What one queued entry of a batch sends.
enum QueuedSlot: Sendable {
    /// The command to send.
    case command(QueuedCommand)
    /// Building the command failed (bad arguments): nothing is sent for it, and its error is reported at its index.
    case noCommand(any Error)
}
