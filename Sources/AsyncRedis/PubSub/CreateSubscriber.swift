import Logging
import NIOCore

/// Opens a `RedisSubscriber`; with `resubscribe: true` it reconnects and subscribes again after connection loss.
/// The keyword form of `createSubscriber(_:options:resubscribe:)`.
public func createSubscriber(
    _ address: RedisAddress,
    db: Int? = nil,
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    parser: (any RESPParser.Type)? = nil,
    timeout: Duration? = nil,
    commandTimeout: Duration? = RedisCommandTimeout.defaultTimeout,
    healthCheckInterval: Duration? = nil,
    protocolVersion: Int = 2,
    eventLoopGroup: (any EventLoopGroup)? = nil,
    logger: Logger? = nil,
    instrumentation: RedisInstrumentation = .default,
    resubscribe: Bool = true
) async throws -> RedisSubscriber {
    try await createSubscriber(
        address,
        options: RedisConnectionOptions(
            db: db, username: username, password: password, tls: ssl, encoding: encoding, parser: parser,
            timeout: timeout, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
            protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup, logger: logger,
            instrumentation: instrumentation),
        resubscribe: resubscribe)
}

/// Opens a `RedisSubscriber` with every connection option in one value (see `RedisConnectionOptions`); every
/// reconnection uses the same options.
public func createSubscriber(_ address: RedisAddress, options: RedisConnectionOptions, resubscribe: Bool = true)
    async throws -> RedisSubscriber
{
    try await RedisSubscriber.connect(
        RedisConnectionConfiguration(address: address, options: options), resubscribes: resubscribe)
}
