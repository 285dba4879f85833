import AsyncRedis
import Foundation
import Hummingbird

/// A fixed-window rate limiter shared by every instance of the service: one counter per client and window in
/// Redis, incremented and given its expiry in one MULTI/EXEC block on the pool.
struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let redis: Redis
    let limit: Int
    let window: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let client = request.headers[.init("X-Client-ID")!] ?? "anonymous"
        let windowSeconds = Int(window.components.seconds)
        let windowIndex = Int(Date().timeIntervalSince1970) / windowSeconds
        let key = "sample:ratelimit:\(client):\(windowIndex)"
        let replies = try await redis.multiExec([("INCR", [key]), ("EXPIRE", [key, windowSeconds])])
        let count = try Int(fromRESP: replies[0], encoding: .utf8)
        guard count <= limit else {
            throw HTTPError(.tooManyRequests, message: "more than \(limit) requests in \(windowSeconds) s")
        }
        var response = try await next(request, context)
        response.headers[.init("X-RateLimit-Remaining")!] = "\(limit - count)"
        return response
    }
}
