/// Opens a pool whose connections use `configuration` as it is: every setting of a connection, the reply limits
/// included, without an argument of its own on `createPool(_:...)`.
///
/// - Parameters: as for `createPool(_:...)`; `createConnectionTimeout` replaces the configuration's `timeout`.
public func createPool(
    configuration: RedisConnectionConfiguration, minSize: Int = 1, maxSize: Int = 10,
    createConnectionTimeout: Duration? = nil
) async throws -> ConnectionsPool {
    let pool = try ConnectionsPool(
        configuration: configuration, minSize: minSize, maxSize: maxSize,
        createConnectionTimeout: createConnectionTimeout)
    try await pool.fill()
    return pool
}
