import NIOCore

/// Opens a pool of connections (aioredis `create_pool`): `minSize` connections at once, up to `maxSize` on demand.
///
/// - Parameters:
///   - minSize: connections kept open (refilled in the background when lost); 0 ≤ minSize ≤ maxSize.
///   - maxSize: the most connections open at once; > 0.
///   - createConnectionTimeout: bound on opening one connection, and on how long a caller waits for a new
///     connection while the server is unreachable (10 s when `nil`).
/// - Throws: `InvalidArgumentError` for bad sizes; the first connection error otherwise.
public func createPool(
    _ address: RedisAddress,
    db: Int? = nil,
    username: String? = nil,
    password: String? = nil,
    ssl: RedisTLS? = nil,
    encoding: RedisEncoding? = nil,
    minSize: Int = 1,
    maxSize: Int = 10,
    parser: (any RESPParser.Type)? = nil,
    createConnectionTimeout: Duration? = nil,
    protocolVersion: Int = 2,
    eventLoopGroup: (any EventLoopGroup)? = nil
) async throws -> ConnectionsPool {
    let configuration = RedisConnectionConfiguration(
        address: address, db: db, username: username, password: password, tls: ssl, encoding: encoding,
        parser: parser, protocolVersion: protocolVersion, eventLoopGroup: eventLoopGroup)
    let pool = try ConnectionsPool(
        configuration: configuration, minSize: minSize, maxSize: maxSize,
        createConnectionTimeout: createConnectionTimeout)
    try await pool.fill()
    return pool
}
