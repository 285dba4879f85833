import NIOConcurrencyHelpers

/// What `Pipeline` and `MultiExec` share: commands are queued, each returning a `RedisPendingReply`, and sent
/// together by the subclass's `execute()`.
///
/// Two ways to queue: `add("INCR", key)` for a raw command, and `queue { try await $0.incr(key) }` for any
/// `Redis` method, whose reply is then decoded exactly as that method decodes it. The `Redis` handed to a queued
/// call records the command instead of sending it, so the call must send exactly one command.
public class RedisBatch: @unchecked Sendable {  // every stored property is an immutable Sendable reference
    /// Where the batch goes when executed.
    let target: Redis
    /// Held by the queued calls too; this object is not, so that dropping it fails what it never sent.
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
        guard let promise = queued.add(QueuedCommand(name: command, arguments: arguments)) else {
            return RedisPendingReply(failing: QueuedCommands.alreadyExecuted)
        }
        return RedisPendingReply { try await promise.value }
    }

    /// Queues a call to any `Redis` method: `let n = tx.queue { try await $0.incr("visits") }`. The call gets a
    /// `Redis` that records its command into this batch, in queue order; after `execute()`, `n.value` is the
    /// method's typed result. The call must send one command (a second one fails with `InvalidArgumentError`);
    /// one that throws before sending (bad arguments) is reported at its index by `execute()`.
    @discardableResult
    public func queue<T: Sendable>(_ call: @escaping @Sendable (Redis) async throws -> T) -> RedisPendingReply<T> {
        guard let index = queued.addCall() else { return RedisPendingReply(failing: QueuedCommands.alreadyExecuted) }
        let queued = self.queued
        let redis = Redis(QueuedCallRecorder(queued: queued, index: index, target: target))
        let task = Task {
            do {
                let value = try await call(redis)
                queued.callFinished(at: index, error: nil)
                return value
            } catch {
                queued.callFinished(at: index, error: error)
                throw error
            }
        }
        return RedisPendingReply { try await task.value }
    }
}

/// The commands of one batch and their replies, shared by the batch and its queued calls' tasks.
final class QueuedCommands: Sendable {
    private struct Storage {
        var machine = QueuedCommandsStateMachine()
        var promises: [ReplyPromise] = []
    }

    private let storage = NIOLockedValueBox(Storage())

    static var alreadyExecuted: InvalidArgumentError {
        InvalidArgumentError("the batch has already been executed; queue on a new pipeline()/multiExec()")
    }

    var count: Int {
        storage.withLockedValue { $0.machine.slots.count }
    }

    /// Queues a raw command; nil once the batch has been sent.
    func add(_ command: QueuedCommand) -> ReplyPromise? {
        let promise = ReplyPromise()
        return storage.withLockedValue { storage in
            guard storage.machine.addSlot(.command(command)) != nil else { return nil }
            storage.promises.append(promise)
            return promise
        }
    }

    /// Adds the slot of a call that will record its command later; nil once the batch has been sent.
    func addCall() -> Int? {
        storage.withLockedValue { storage in
            guard let index = storage.machine.addSlot() else { return nil }
            storage.promises.append(ReplyPromise())
            return index
        }
    }

    /// A queued call sends its command: it is recorded, and the reply is awaited.
    func record(_ command: QueuedCommand, at index: Int) async throws -> RESPValue {
        let (outcome, promise) = storage.withLockedValue { storage in
            (storage.machine.record(command, at: index), storage.promises[index])
        }
        switch outcome {
        case .rejected(let error): throw error
        case .recorded(let resumeExecute): resumeExecute?.resume()
        }
        return try await promise.value
    }

    func callFinished(at index: Int, error: (any Error)?) {
        storage.withLockedValue { $0.machine.callFinished(at: index, error: error) }?.resume()
    }

    /// The batch once every queued call has recorded its command (or failed without one), in queue order.
    /// Nothing can be queued afterwards. Cancellation while waiting fails every command with `CancellationError`.
    func takeSlots() async throws -> [QueuedCommandsStateMachine.Slot] {
        switch storage.withLockedValue({ $0.machine.execute() }) {
        case .alreadySent:
            throw InvalidArgumentError("execute() was already called on this batch")
        case .send:
            break
        case .waitForCalls:
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    storage.withLockedValue { $0.machine.waitForCalls(continuation) }?.resume()
                }
            } onCancel: {
                storage.withLockedValue { $0.machine.abandon() }?.resume()
            }
        }
        if Task.isCancelled {
            fail(with: CancellationError())
            throw CancellationError()
        }
        return storage.withLockedValue { $0.machine.slots }
    }

    /// Hands every queued command its outcome, by slot index.
    func deliver(_ results: [Result<RESPValue, any Error>]) {
        let promises = storage.withLockedValue { $0.promises }
        for (promise, result) in zip(promises, results) { promise.fulfill(result) }
    }

    /// Fails every command not yet answered (the batch could not be sent, or was dropped).
    func fail(with error: any Error) {
        let (promises, waiter) = storage.withLockedValue { storage in
            (storage.promises, storage.machine.abandon())
        }
        waiter?.resume()
        for promise in promises { promise.fulfill(.failure(error)) }
    }
}

/// The connection seen by a call queued with `RedisBatch.queue`: it records the call's command into the batch
/// and answers with that command's reply once the batch has run.
final class QueuedCallRecorder: RedisConnectionProtocol {
    private let queued: QueuedCommands
    private let index: Int
    private let target: Redis

    init(queued: QueuedCommands, index: Int, target: Redis) {
        self.queued = queued
        self.index = index
        self.target = target
    }

    var address: RedisAddress { target.address }
    var db: Int { target.db }
    var encoding: RedisEncoding? { target.encoding }
    var isClosed: Bool { target.isClosed }
    var pubsubChannels: [String: PubSubChannel] { [:] }
    var pubsubPatterns: [String: PubSubChannel] { [:] }
    var inPubSub: Int { 0 }

    func execute(_ command: String, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await queued.record(QueuedCommand(name: command, arguments: arguments), at: index)
    }

    /// EVALSHA for `RedisScript.run`: the batch loads the script ahead of its commands.
    func executeScript(_ script: RedisScript, arguments: [any RedisArgument]) async throws -> RESPValue {
        try await queued.record(QueuedCommand(name: "EVALSHA", arguments: arguments, script: script), at: index)
    }

    func executePubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue] {
        throw InvalidArgumentError("\(command) cannot be queued on a pipeline or MULTI/EXEC; use a subscriber")
    }

    func close() {}

    func waitClosed() async {}

    static func connect(_ configuration: RedisConnectionConfiguration) async throws -> QueuedCallRecorder {
        throw InvalidArgumentError("a queued call's connection is made by its batch, not connected")
    }
}
