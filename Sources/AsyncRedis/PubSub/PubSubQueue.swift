import DequeModule
import NIOConcurrencyHelpers

/// Messages waiting for their consumer, bounded by a `PubSubBacklogLimit`, and the consumers waiting for them: the
/// one queue behind `PubSubChannel` (of messages) and `Receiver` (of messages with their channel). A value kept in
/// its owner's locked state, beside what decides when the owner's stream ends.
struct PubSubQueue<Element: Sendable>: Sendable {
    private var elements: Deque<Element> = []
    /// The footprint of the queued messages, as counted against `limit.maxBytes`.
    private(set) var bytes = 0
    var waiters = ChangeWaiters()
    let limit: PubSubBacklogLimit
    private let message: @Sendable (Element) -> PubSubMessage

    init(limit: PubSubBacklogLimit, message: @escaping @Sendable (Element) -> PubSubMessage) {
        self.limit = limit
        self.message = message
    }

    var count: Int { elements.count }
    var isEmpty: Bool { elements.isEmpty }

    /// Queues `element` unless it would exceed the limit; false (nothing queued) when it would.
    mutating func append(_ element: Element) -> Bool {
        let footprint = PubSubBacklogLimit.footprint(of: message(element))
        guard limit.admits(footprint, count: elements.count, bytes: bytes) else { return false }
        elements.append(element)
        bytes += footprint
        return true
    }

    mutating func popFirst() -> Element? {
        guard let element = elements.popFirst() else { return nil }
        bytes -= PubSubBacklogLimit.footprint(of: message(element))
        return element
    }

    /// The error the consumer gets after what is queued now, when the next message did not fit.
    func overflowError(_ subject: String) -> ChannelClosedError {
        limit.overflowError(subject, count: elements.count, bytes: bytes)
    }
}

/// What a consumer finds under its queue owner's lock.
enum PubSubQueueOutcome<Element> {
    case element(Element)
    /// The stream ended cleanly: `nil` to the consumer.
    case end
    case failure(ChannelClosedError)
    /// Nothing yet: wait for a change.
    case wait
}

/// The consumer side `PubSubChannel` and `Receiver` share: take under the lock, else wait for a change (a message, a
/// close, a stop); a cancelled consumer stops waiting at once.
enum PubSubConsumer {
    /// Loops until `take` answers something other than `.wait`.
    static func next<State: Sendable, Element>(
        from box: NIOLockedValueBox<State>, waiters: WritableKeyPath<State, ChangeWaiters> & Sendable,
        isSettled: @escaping @Sendable (State) -> Bool, take: (inout State) -> PubSubQueueOutcome<Element>
    ) async throws -> Element? {
        while true {
            switch box.withLockedValue(take) {
            case .element(let element): return element
            case .end: return nil
            case .failure(let error): throw error
            case .wait:
                try Task.checkCancellation()
                await ChangeWaiters.wait(in: box, waiters, unless: isSettled)
            }
        }
    }

    /// Waits until `ready` answers: true (a message is queued) or false (the stream has ended); false too when the
    /// task is cancelled.
    static func waitMessage<State: Sendable>(
        from box: NIOLockedValueBox<State>, waiters: WritableKeyPath<State, ChangeWaiters> & Sendable,
        ready: @escaping @Sendable (State) -> Bool?
    ) async -> Bool {
        while true {
            if let answer = box.withLockedValue({ ready($0) }) { return answer }
            if Task.isCancelled { return false }
            await ChangeWaiters.wait(in: box, waiters) { ready($0) != nil }
        }
    }
}
