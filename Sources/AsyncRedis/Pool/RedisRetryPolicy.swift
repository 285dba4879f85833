/// Which failed pool commands are sent again, how often and after how long (`createPool(retryPolicy:)`).
///
/// Two kinds of failure are retried:
/// - the connection was lost under a read-only command (flagged `readonly` in the command table, or PING, ECHO,
///   TIME): running it again cannot do harm, whereas a write may already have been applied;
/// - the server refused the command with a reply code listed in `replyCodes` (`LOADING` while it loads its data,
///   `BUSY` while a script runs, `TRYAGAIN` during a cluster resharding): it did not run it, so any command may
///   be sent again.
///
/// The default is a single immediate retry on connection loss, and no retry on reply codes.
public struct RedisRetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included; 1 never retries.
    public var maxAttempts: Int
    /// The wait before the first retry; each further retry waits twice as long, up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Each wait is drawn from (1 - jitter)...(1 + jitter) times its step, so that clients failed by the same
    /// event do not retry in lockstep; 0...1.
    public var jitter: Double
    /// Whether a read-only command whose connection was lost is retried.
    public var retriesConnectionLoss: Bool
    /// Reply codes (the first word of an error reply) after which any command is retried.
    public var replyCodes: Set<String>

    /// The codes of a server that did not run the command and asks to be tried again later.
    public static let transientReplyCodes: Set<String> = ["LOADING", "BUSY", "TRYAGAIN"]

    public init(
        maxAttempts: Int = 3,
        initialBackoff: Duration = .milliseconds(50),
        maxBackoff: Duration = .seconds(2),
        jitter: Double = 0.5,
        retriesConnectionLoss: Bool = true,
        replyCodes: Set<String> = RedisRetryPolicy.transientReplyCodes
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.jitter = jitter
        self.retriesConnectionLoss = retriesConnectionLoss
        self.replyCodes = replyCodes
    }

    /// What pools did before retry policies existed: one immediate retry of a read-only command on a lost
    /// connection.
    public static let `default` = RedisRetryPolicy(
        maxAttempts: 2, initialBackoff: .zero, maxBackoff: .zero, jitter: 0, retriesConnectionLoss: true,
        replyCodes: [])

    /// Never retries.
    public static let none = RedisRetryPolicy(maxAttempts: 1, retriesConnectionLoss: false, replyCodes: [])

    func validate() throws {
        guard maxAttempts >= 1 else { throw InvalidArgumentError("maxAttempts must be >= 1, got \(maxAttempts)") }
        guard initialBackoff >= .zero, maxBackoff >= .zero else {
            throw InvalidArgumentError("backoff durations must be >= 0")
        }
        guard (0...1).contains(jitter) else { throw InvalidArgumentError("jitter must be in 0...1, got \(jitter)") }
    }

    /// Whether `command`, which failed with `error` on try number `attempt` (1 for the first), is sent again.
    public func shouldRetry(_ command: String, after error: any Error, attempt: Int) -> Bool {
        guard attempt < maxAttempts else { return false }
        if let reply = error as? ReplyError { return replyCodes.contains(reply.code) }
        if let closed = error as? ConnectionClosedError {
            // close() on the connection or the pool is the caller's own decision, not a failure.
            return retriesConnectionLoss && !(closed is ConnectionForcedCloseError)
                && RedisCommandTable.traits(command).isRetrySafe
        }
        return false
    }

    /// The wait before try number `attempt + 1`, jitter included.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        guard initialBackoff > .zero else { return .zero }
        var step = initialBackoff
        for _ in 1..<max(attempt, 1) where step < maxBackoff { step = step * 2 }
        step = min(step, maxBackoff)
        return jitter == 0 ? step : step * Double.random(in: (1 - jitter)...(1 + jitter))
    }
}
