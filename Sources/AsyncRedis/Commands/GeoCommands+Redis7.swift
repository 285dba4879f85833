// GEOSEARCHSTORE and the read-only radius commands, which a replica may run.
extension RedisCommands {
    /// GEOSEARCHSTORE: stores the members GEOSEARCH finds in `destination` (with their distances instead of their
    /// geohashes when `storeDistance`); the number stored (Redis 6.2).
    @discardableResult
    public func geosearchstore(
        _ destination: some RedisKeyConvertible, _ source: some RedisKeyConvertible, from origin: GeoSearchOrigin,
        by shape: GeoSearchShape, count: Int? = nil, any: Bool = false, order: RedisSortOrder? = nil,
        storeDistance: Bool = false
    ) throws -> RedisCommand<Int> {
        var arguments: [any RedisArgument] = [destination, source]
        arguments += Redis.geoSearchArea(origin, shape)
        arguments += try Redis.geoOptions(false, false, false, count, any, order)
        if storeDistance { arguments.append("STOREDIST") }
        return try send("GEOSEARCHSTORE", arguments, as: Int.self)
    }

    /// GEORADIUS_RO: GEORADIUS without STORE, which a replica may run.
    public func georadiusRO(
        _ key: some RedisKeyConvertible, longitude: Double, latitude: Double, radius: Double, unit: GeoUnit = .meters,
        withDist: Bool = false, withCoord: Bool = false, withHash: Bool = false, count: Int? = nil,
        any: Bool = false, order: RedisSortOrder? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[GeoMember]> {
        renamed(
            try georadius(key, longitude: longitude, latitude: latitude, radius: radius, unit: unit, withDist: withDist,
                          withCoord: withCoord, withHash: withHash, count: count, any: any, order: order,
                          encoding: encoding),
            "GEORADIUS_RO")
    }

    /// GEORADIUSBYMEMBER_RO: GEORADIUSBYMEMBER without STORE, which a replica may run.
    public func georadiusbymemberRO(
        _ key: some RedisKeyConvertible, member: some RedisArgument, radius: Double, unit: GeoUnit = .meters,
        withDist: Bool = false, withCoord: Bool = false, withHash: Bool = false, count: Int? = nil,
        any: Bool = false, order: RedisSortOrder? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[GeoMember]> {
        renamed(
            try georadiusbymember(key, member: member, radius: radius, unit: unit, withDist: withDist,
                                  withCoord: withCoord, withHash: withHash, count: count, any: any, order: order,
                                  encoding: encoding),
            "GEORADIUSBYMEMBER_RO")
    }
}

extension Redis {
    /// FROMMEMBER/FROMLONLAT and BYRADIUS/BYBOX, as GEOSEARCH and GEOSEARCHSTORE spell them.
    static func geoSearchArea(_ origin: GeoSearchOrigin, _ shape: GeoSearchShape) -> [any RedisArgument] {
        var arguments: [any RedisArgument] = []
        switch origin {
        case .member(let member): arguments += ["FROMMEMBER", member]
        case .coordinates(let point): arguments += ["FROMLONLAT", point.longitude, point.latitude]
        }
        switch shape {
        case .radius(let radius, let unit): arguments += ["BYRADIUS", radius, unit.rawValue]
        case .box(let width, let height, let unit): arguments += ["BYBOX", width, height, unit.rawValue]
        }
        return arguments
    }
}
