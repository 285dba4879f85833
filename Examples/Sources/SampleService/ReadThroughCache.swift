import AsyncRedis
import Hummingbird

/// `GET /cache/{key}`: the value from Redis when cached (`X-Cache: hit`), else computed, stored with a TTL and
/// returned (`X-Cache: miss`).
struct ReadThroughCache {
    let redis: Redis
    let ttl: Duration

    func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get("cache/:key") { _, context -> Response in
            let key = try context.parameters.require("key")
            let cacheKey = "sample:cache:\(key)"
            if let cached = try await redis.get(cacheKey) {
                return Self.response(cached, cache: "hit")
            }
            let value = try await compute(key)
            try await redis.set(cacheKey, value, expire: ttl)
            return Self.response(value, cache: "miss")
        }
    }

    /// Stands for a slow backend: what the cache saves callers from.
    private func compute(_ key: String) async throws -> String {
        try await Task.sleep(for: .milliseconds(50))
        return "value of \(key)"
    }

    private static func response(_ body: String, cache: String) -> Response {
        Response(
            status: .ok, headers: [.init("X-Cache")!: cache, .contentType: "text/plain"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
