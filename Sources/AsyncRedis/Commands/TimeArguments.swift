/// How a `Duration` becomes a command argument: the one rounding rule every command method follows.
///
/// A duration is first rounded up to whole milliseconds, the finest unit Redis takes, so that a positive duration
/// never becomes 0 (which Redis reads as "no timeout" or refuses). Then:
/// - millisecond arguments (PX, PEXPIRE, BLOCK, WAIT, CLIENT PAUSE, RESTORE, MIGRATE) take those milliseconds;
/// - blocking timeouts counted in seconds (BLPOP, BZPOPMIN, ...) take fractional seconds, `0.25` for 250 ms,
///   which Redis accepts since 6.0; `.zero` waits forever, as in aioredis;
/// - expiries counted in whole seconds (EX, EXPIRE, SETEX) take whole seconds when the duration is a whole number
///   of seconds, and otherwise switch to their millisecond form (PX, PEXPIRE, PSETEX): nothing is truncated.
extension Redis {
    /// `duration` in whole milliseconds, rounded up.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let millis = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        return attoseconds % 1_000_000_000_000_000 > 0 ? millis + 1 : millis
    }

    /// Whole milliseconds of a duration that must not be negative.
    static func nonNegativeMilliseconds(_ duration: Duration, _ name: String) throws -> Int {
        guard duration >= .zero else { throw InvalidArgumentError("\(name) must be >= 0, got \(duration)") }
        return milliseconds(duration)
    }

    /// A blocking command's timeout in seconds, with millisecond precision (rounded up); `.zero` is forever.
    static func timeoutSeconds(_ timeout: Duration, _ name: String = "timeout") throws -> Double {
        Double(try nonNegativeMilliseconds(timeout, name)) / 1000
    }

    /// Whole milliseconds of an expiry, which must be positive: the server refuses zero or negative ones, so this
    /// says so before sending.
    static func positiveMilliseconds(_ duration: Duration, _ name: String) throws -> Int {
        guard duration > .zero else { throw InvalidArgumentError("\(name) must be > 0, got \(duration)") }
        return milliseconds(duration)
    }

    /// The expiry options of SET and GETEX: `expire` as `EX` seconds (`PX` when not whole seconds), `pexpire` as
    /// `PX` milliseconds; the caller checks that at most one is given.
    static func expiryArguments(expire: Duration?, pexpire: Duration?) throws -> [any RedisArgument] {
        if let expire {
            let millis = try positiveMilliseconds(expire, "expire")
            return millis % 1000 == 0 ? ["EX", millis / 1000] : ["PX", millis]
        }
        if let pexpire { return ["PX", try positiveMilliseconds(pexpire, "pexpire")] }
        return []
    }
}
