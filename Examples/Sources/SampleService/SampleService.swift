import AsyncRedis
import Foundation
import Hummingbird
import Logging

/// Starts the sample service: `REDIS_URL` (default `redis://127.0.0.1:6379`), `PORT` (default 8080),
/// `LOG_LEVEL` (default `info`), `RATE_LIMIT` requests per client and minute (default 60).
///
/// Endpoints: `GET /health`, `GET /cache/{key}` (a read-through cache), `POST /events` (publish the body),
/// `GET /events?count=N&timeout=S` (wait for the next N events, fanned out to every waiting client),
/// `GET /metrics` (Prometheus). Every endpoint but `/health` and `/metrics` is rate limited per `X-Client-ID`.
@main
struct SampleService {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        // Before any pool exists: AsyncRedis reports to the global factory it finds when a client opens.
        let metrics = PrometheusExport.bootstrap()
        let logger = Logger(label: "sample-service")
        let redisURL = try RedisAddress(environment["REDIS_URL"] ?? "redis://127.0.0.1:6379")
        let port = environment["PORT"].flatMap(Int.init) ?? 8080
        let limit = environment["RATE_LIMIT"].flatMap(Int.init) ?? 60

        let pool = try await createRedisPool(redisURL, minSize: 2, maxSize: 10, logger: logger)
        let subscriber = try await createSubscriber(redisURL, logger: logger)
        let events = try await EventFanOut(subscriber: subscriber, channel: "sample:events", logger: logger)

        let router = Router()
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsMiddleware())
        router.get("health") { _, _ in "ok" }
        router.get("metrics") { _, _ in metrics.render() }
        let api = router.group().add(
            middleware: RateLimitMiddleware(redis: pool, limit: limit, window: .seconds(60)))
        ReadThroughCache(redis: pool, ttl: .seconds(30)).addRoutes(to: api)
        events.addRoutes(to: api, publishingWith: pool)

        // The pool and the subscriber are services: on SIGTERM or SIGINT the server stops taking requests,
        // then the fan-out, the subscriber and the pool shut down (the pool draining its calls in flight).
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "asyncredis-sample"),
            services: [pool, subscriber, events],
            logger: logger)
        try await app.runService()
    }
}
