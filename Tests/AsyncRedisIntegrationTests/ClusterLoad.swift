import AsyncRedisTestSupport
import NIOConcurrencyHelpers
import Testing

@testable import AsyncRedis

/// 100 tasks writing and reading back their own keys through a cluster client while something changes the
/// cluster, counting every failure by kind. Each call is bounded (20 s): one that takes longer counts as a hang.
struct ClusterLoad {
    struct Outcome: Sendable {
        var writes = 0
        var reads = 0
        var readErrors: [String] = []
        /// Write failures of the documented kinds (the write may or may not have run).
        var documentedWriteErrors: [String] = []
        var otherWriteErrors: [String] = []
        var wrongValues: [String] = []
        var hangs = 0
        /// The value each key must hold at the end (nil when its last write failed: either value is right).
        var finalValues: [String: String?] = [:]
    }

    let redis: Redis
    let keys: [String]

    /// Runs the load while `change` runs, and for `settle` after it; returns what happened.
    func run(settle: Duration = .milliseconds(500), during change: @Sendable () async throws -> Void) async throws
        -> Outcome
    {
        let stop = NIOLockedValueBox(false)
        let outcome = NIOLockedValueBox(Outcome())
        let redis = self.redis
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys {
                group.addTask {
                    var counter = 0
                    var certain: String? = nil
                    while !stop.withLockedValue({ $0 }) {
                        counter += 1
                        let value = "\(key)=\(counter)"
                        do {
                            _ = try await withTimeLimit(.seconds(20)) { try await redis.set(key, value) }
                            certain = value
                            outcome.withLockedValue { $0.writes += 1 }
                        } catch let error as TestSetupError {
                            outcome.withLockedValue { $0.hangs += 1; $0.otherWriteErrors.append("\(error)") }
                            certain = nil
                        } catch {
                            let documented = error is ConnectionClosedError || error is TimeoutError
                                || error is ClusterDownError || error is TryAgainError
                            outcome.withLockedValue {
                                if documented { $0.documentedWriteErrors.append("\(error)") } else {
                                    $0.otherWriteErrors.append("\(error)")
                                }
                            }
                            certain = nil
                            continue
                        }
                        do {
                            let read = try await withTimeLimit(.seconds(20)) { try await redis.get(key) }
                            outcome.withLockedValue {
                                $0.reads += 1
                                if read != value { $0.wrongValues.append("\(key): \(read ?? "nil") != \(value)") }
                            }
                        } catch {
                            outcome.withLockedValue {
                                if error is TestSetupError { $0.hangs += 1 }
                                $0.readErrors.append("\(error)")
                            }
                        }
                    }
                    outcome.withLockedValue { $0.finalValues[key] = .some(certain) }
                }
            }
            try await change()
            try await Task.sleep(for: settle)
            stop.withLockedValue { $0 = true }
            try await group.waitForAll()
        }
        return outcome.withLockedValue { $0 }
    }
}
