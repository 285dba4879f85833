import Foundation
import Testing

/// Which server the suite runs against (`scripts/test.sh --server redis|redis6|valkey`), from the variables
/// `scripts/servers.sh` exports, so that a test needing a newer server skips with a stated reason.
enum TestServerFlavour {
    /// `redis` (Debian's Redis 7.0), `redis6` (Redis 6.2) or `valkey` (Valkey 8.1).
    static let name = ProcessInfo.processInfo.environment["REDIS_SERVER_FLAVOUR"] ?? "redis"

    /// The server's own version, e.g. 6.2.14 or 8.1.8; unset (a run without the script) counts as new.
    static let version: [Int] = (ProcessInfo.processInfo.environment["REDIS_SERVER_VERSION"] ?? "")
        .split(separator: ".").compactMap { Int($0) }

    /// Valkey's versions go on from Redis 7.2 (Valkey 7.2 speaks Redis 7.2), so one comparison serves both.
    static func isAtLeast(_ major: Int, _ minor: Int = 0) -> Bool {
        guard !version.isEmpty else { return true }
        return version.lexicographicallyPrecedes([major, minor]) == false
    }

    /// The encoding OBJECT ENCODING reports for a short string value stored under a `uniqueKey()`: Valkey 8 keeps
    /// the key in the value's allocation, so with a key that long even a short value no longer fits an embstr.
    static var shortStringEncoding: String { name == "valkey" ? "raw" : "embstr" }

    /// Whether the set has a TLS server: the PyPI builds of Redis 6.2 and Valkey 8.1 are built without TLS.
    static var hasTLS: Bool { (try? TestServers.value("REDIS_TLS_PORT")) != nil }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only on Redis 7.0 or later (Valkey included); `missing` names what Redis 6.2 lacks, and is
    /// the reason reported when the test is skipped.
    static func needsRedis7(_ missing: Comment) -> Self {
        .enabled(if: TestServerFlavour.isAtLeast(7), missing)
    }

    /// Runs the test only on Redis 6.x, the servers that lack what `needsRedis7` tests use.
    static func onlyBeforeRedis7(_ why: Comment) -> Self {
        .enabled(if: !TestServerFlavour.isAtLeast(7), why)
    }

    /// Runs the test only where the set has a TLS server.
    static var needsTLS: Self {
        .enabled(if: TestServerFlavour.hasTLS, "this server build has no TLS (the PyPI Redis 6.2 and Valkey 8.1)")
    }
}
