import Logging
import Synchronization

/// Defaults and metadata for the lifecycle log lines. Metadata names endpoints, never credentials: a
/// `RedisAddress` in a log line is written through its redacting description.
enum RedisLogging {
    /// The logger used when a caller gives none: label `AsyncRedis`, handled by whatever `LoggingSystem` was
    /// bootstrapped with.
    static var defaultLogger: Logger { Logger(label: "AsyncRedis") }

    private static let connectionIDs = Atomic<UInt64>(0)

    /// A process-wide number telling connections apart in logs.
    static func nextConnectionID() -> UInt64 {
        connectionIDs.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// `logger` with the endpoint and db of `address` as metadata.
    static func logger(_ logger: Logger, for address: RedisAddress, db: Int) -> Logger {
        var logger = logger
        switch address.endpoint {
        case .tcp(let host, let port):
            logger[metadataKey: "server.address"] = "\(host)"
            logger[metadataKey: "server.port"] = "\(port)"
        case .unix(let path):
            logger[metadataKey: "server.address"] = "\(path)"
        }
        logger[metadataKey: "db.namespace"] = "\(db)"
        return logger
    }
}
