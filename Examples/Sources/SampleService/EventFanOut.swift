import AsyncRedis
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Pub/Sub fan-out: one subscription in Redis, delivered to every HTTP client waiting in this process, so a
/// thousand waiting clients cost one Redis connection. `POST /events` publishes the request body;
/// `GET /events?count=N&timeout=S` answers with the next N events, one per line.
final class EventFanOut: Service, Sendable {
    private let channel: PubSubChannel
    private let channelName: String
    private let logger: Logger
    private let listeners = NIOLockedValueBox([Int: AsyncStream<String>.Continuation]())
    private let nextListenerID = NIOLockedValueBox(0)

    init(subscriber: RedisSubscriber, channel name: String, logger: Logger) async throws {
        channel = try await subscriber.subscribe(name)[0]
        channelName = name
        self.logger = logger
    }

    /// Hands each message to every listener until the subscription ends (the subscriber closes at shutdown).
    func run() async throws {
        for try await message in channel.cancelOnGracefulShutdown() {
            guard message.kind == .message, let text = message.string() else {
                logger.info("events may have been missed while the subscriber reconnected")
                continue
            }
            for listener in listeners.withLockedValue({ Array($0.values) }) { listener.yield(text) }
        }
        for listener in listeners.withLockedValue({ Array($0.values) }) { listener.finish() }
    }

    private func listen() -> AsyncStream<String> {
        let id = nextListenerID.withLockedValue { id in
            id += 1
            return id
        }
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        continuation.onTermination = { [listeners] _ in listeners.withLockedValue { $0[id] = nil } }
        listeners.withLockedValue { $0[id] = continuation }
        return stream
    }

    func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>, publishingWith redis: Redis) {
        group.post("events") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 64 * 1024)
            _ = try await redis.publish(self.channelName, String(buffer: body))
            return .accepted
        }
        group.get("events") { request, _ -> String in
            let count = request.uri.queryParameters.get("count", as: Int.self) ?? 1
            let timeout = request.uri.queryParameters.get("timeout", as: Int.self) ?? 10
            let stream = self.listen()
            return await withTaskGroup(of: [String].self) { group in
                group.addTask {
                    var received: [String] = []
                    for await event in stream {
                        received.append(event)
                        if received.count >= count { break }
                    }
                    return received
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(timeout))
                    return []
                }
                let first = await group.next() ?? []
                group.cancelAll()
                return first.map { $0 + "\n" }.joined()
            }
        }
    }
}
