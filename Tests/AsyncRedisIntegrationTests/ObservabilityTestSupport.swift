import AsyncRedisTestSupport
import Logging
import NIOConcurrencyHelpers
import Testing

/// Collects every log line (level, message, metadata) a logger writes, for tests that read the log output.
final class CapturedLogs: Sendable {
    struct Line: Sendable, CustomStringConvertible {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
        var description: String {
            "\(level) \(message) " + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    private let captured = NIOLockedValueBox<[Line]>([])

    var lines: [Line] { captured.withLockedValue { $0 } }

    /// A logger at `level` writing here.
    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "AsyncRedis-test") { _ in CapturingLogHandler(sink: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ line: Line) {
        captured.withLockedValue { $0.append(line) }
    }
}

private struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.append(
            CapturedLogs.Line(
                level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
}

/// Polls `condition` until it holds, failing after `limit`.
func waitUntil(
    _ limit: Duration = .seconds(10), _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition still false after \(limit)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
