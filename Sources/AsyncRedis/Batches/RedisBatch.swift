import NIOConcurrencyHelpers

/// What `Pipeline` and `MultiExec` share: commands are queued, each returning a `RedisPendingReply`, and sent
/// together by the subclass's `execute()`.
///
/// Three ways to queue, all of them a list of command values underneath: `add("INCR", key)` for a raw command,
/// `add(RedisCommand)` for a command value, and `queue { try $0.incr(key) }` for the command any `Redis` method
/// sends (built by `RedisCommands`), whose reply is then decoded exactly as that method decodes it. Nothing runs
/// per queued command until `execute()`: no task, no recording connection.
public class RedisBatch: @unchecked Sendable {  // every stored property is an immutable Sendable reference
    /// Where the batch goes when executed.
    let target: Redis
    /// Held by the pending replies too; this object is not, so that dropping it fails what it never sent.
    let queued = QueuedCommands()

    init(target: Redis) {
        self.target = target
    }

    deinit {
        queued.fail(with: InvalidArgumentError("the batch was dropped without execute()"))
    }

    /// The number of commands queued so far.
    public var count: Int { queued.count }

    /// Queues a raw command; its reply is available after `execute()`.
    @discardableResult
    public func add(_ command: String, _ arguments: any RedisArgument...) -> RedisPendingReply<RESPValue> {
        add(command, arguments: arguments)
    }

    /// Queues a raw command; its pending reply is the raw `RESPValue`.
    @discardableResult
    public func add(_ command: String, arguments: [any RedisArgument]) -> RedisPendingReply<RESPValue> {
        guard let promise = queued.add(.command(QueuedCommand(name: command, arguments: arguments))) else {
            return RedisPendingReply(failing: QueuedCommands.alreadyExecuted)
        }
        return RedisPendingReply { try await promise.value }
    }

    /// Queues the command a `RedisCommands` builder makes: `let n = tx.queue { try $0.incr("visits") }`. Every
    /// `Redis` command method has a builder of the same name and arguments, so this reads like the method call;
    /// after `execute()`, `n.value` is what the method would return. A builder that throws (arguments Redis would
    /// refuse) queues nothing to send: its error is reported at its index by `execute()` and by `n.value`.
    @discardableResult
    public func queue<T>(_ build: (RedisCommands) throws -> RedisCommand<T>) -> RedisPendingReply<T> {
        let command: RedisCommand<T>
        do {
            command = try build(RedisCommands())
        } catch {
            guard let promise = queued.add(.noCommand(error)) else {
                return RedisPendingReply(failing: QueuedCommands.alreadyExecuted)
            }
            return RedisPendingReply { _ = try await promise.value; throw error }
        }
        return add(command)
    }
}

/// The commands of one batch and their replies, shared by the batch and its pending replies.
final class QueuedCommands: Sendable {
    private struct Storage {
        var slots: [QueuedSlot] = []
        var promises: [ReplyPromise] = []
        var sent = false
    }

    private let storage = NIOLockedValueBox(Storage())

    static var alreadyExecuted: InvalidArgumentError {
        InvalidArgumentError("the batch has already been executed; queue on a new pipeline()/multiExec()")
    }

    var count: Int {
        storage.withLockedValue { $0.slots.count }
    }

    /// Queues a command (or a call that failed to build one); nil once the batch has been sent.
    func add(_ slot: QueuedSlot) -> ReplyPromise? {
        let promise = ReplyPromise()
        return storage.withLockedValue { storage in
            guard !storage.sent else { return nil }
            storage.slots.append(slot)
            storage.promises.append(promise)
            return promise
        }
    }

    /// The batch, in queue order; nothing can be queued afterwards.
    func takeSlots() throws -> [QueuedSlot] {
        try storage.withLockedValue { storage in
            guard !storage.sent else { throw InvalidArgumentError("execute() was already called on this batch") }
            storage.sent = true
            return storage.slots
        }
    }

    /// Hands every queued command its outcome, by slot index.
    func deliver(_ results: [Result<RESPValue, any Error>]) {
        let promises = storage.withLockedValue { $0.promises }
        for (promise, result) in zip(promises, results) { promise.fulfill(result) }
    }

    /// Fails every command not yet answered (the batch could not be sent, or was dropped).
    func fail(with error: any Error) {
        let promises = storage.withLockedValue { storage in
            storage.sent = true
            return storage.promises
        }
        for promise in promises { promise.fulfill(.failure(error)) }
    }
}
