/// The metric names and dimensions AsyncRedis reports; they follow OpenTelemetry's database client conventions
/// where one exists (README, "Observability", lists them).
enum RedisMetricNames {
    /// Timer: how long a command, pipeline or MULTI/EXEC block took, from send to reply.
    static let operationDuration = "db.client.operation.duration"
    /// Counter: failed operations, by `error.type` (the reply code such as `WRONGTYPE`, else the error's type).
    static let operationErrors = "db.client.operation.errors"
    /// Gauges of a pool: connections by `db.client.connection.state` (`idle`, `used`), all of them, the callers
    /// waiting for one, the most it may open.
    static let connectionCount = "db.client.connection.count"
    static let poolSize = "db.client.connection.pool.size"
    static let pendingRequests = "db.client.connection.pending_requests"
    static let connectionMax = "db.client.connection.max"
    /// Gauge: messages received and not yet consumed, per subscriber.
    static let pubSubBacklog = "redis.client.pubsub.backlog"
    /// Counter: connections opened again after one was lost (pool refills, resubscriptions, failovers).
    static let reconnections = "redis.client.reconnections"
    /// Counters of a client cache: reads answered from memory, reads sent to the server, keys invalidated; and a
    /// gauge (sampled) of the bytes it holds, as `RedisCache.bytes` estimates them.
    static let cacheHits = "redis.client.cache.hits"
    static let cacheMisses = "redis.client.cache.misses"
    static let cacheInvalidations = "redis.client.cache.invalidations"
    static let cacheBytes = "redis.client.cache.bytes"

    static let system = ("db.system.name", "redis")
    static let operationName = "db.operation.name"
    static let outcome = "outcome"
    static let errorType = "error.type"
    static let connectionState = "db.client.connection.state"
    static let poolName = "db.client.connection.pool.name"
    static let reconnectionKind = "redis.reconnection.kind"
    static let subscriberName = "redis.subscriber.name"
    static let cacheName = "redis.cache.name"
}
