/// A distance unit of the geo commands.
public enum GeoUnit: String, Sendable, Hashable {
    /// Metres (`m`), kilometres (`km`), miles (`mi`), feet (`ft`).
    case meters = "m", kilometers = "km", miles = "mi", feet = "ft"
}

/// A position, as the geo commands order it: longitude first.
public struct GeoPoint: Sendable, Hashable {
    /// Degrees east, -180...180.
    public var longitude: Double
    /// Degrees north, about -85...85.
    public var latitude: Double

    /// A position from its coordinates.
    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// One member found by GEORADIUS, GEORADIUSBYMEMBER or GEOSEARCH; the optional parts are there when asked for
/// (`withDist`, `withHash`, `withCoord`).
public struct GeoMember: Sendable, Hashable {
    /// The member.
    public var name: String
    /// Distance from the search's centre, in the search's unit.
    public var distance: Double?
    /// The raw 52-bit geohash score.
    public var hash: Int?
    /// Its position, when asked for (`withCoord`).
    public var coordinates: GeoPoint?

    /// A member from its parts.
    public init(name: String, distance: Double? = nil, hash: Int? = nil, coordinates: GeoPoint? = nil) {
        self.name = name
        self.distance = distance
        self.hash = hash
        self.coordinates = coordinates
    }
}

/// Where GEOSEARCH starts: FROMMEMBER or FROMLONLAT.
public enum GeoSearchOrigin: Sendable, Hashable {
    /// FROMMEMBER: around a member of the set.
    case member(String)
    /// FROMLONLAT: around a position.
    case coordinates(GeoPoint)
}

/// The area GEOSEARCH covers: BYRADIUS or BYBOX.
public enum GeoSearchShape: Sendable, Hashable {
    /// BYRADIUS: a circle of this radius.
    case radius(Double, GeoUnit)
    /// BYBOX: a rectangle centred on the origin.
    case box(width: Double, height: Double, GeoUnit)
}

// Geo commands, aioredis `GeoCommandsMixin`.
extension RedisCommands {
    /// GEOADD one member: 1 if new, 0 if updated.
    @discardableResult
    public func geoadd(_ key: some RedisKeyConvertible, longitude: Double, latitude: Double, member: some RedisArgument)
        throws -> RedisCommand<Int>
    {
        try send("GEOADD", [key, longitude, latitude, member], as: Int.self)
    }

    /// GEOADD many members: the number added (with `changed`, added or moved).
    @discardableResult
    public func geoadd(
        _ key: some RedisKeyConvertible, _ members: [(longitude: Double, latitude: Double, member: any RedisArgument)],
        exist: SetCondition? = nil, changed: Bool = false
    ) throws -> RedisCommand<Int> {
        guard !members.isEmpty else { throw InvalidArgumentError("geoadd needs at least one member") }
        var arguments: [any RedisArgument] = [key]
        if let exist { arguments.append(exist.keyword) }
        if changed { arguments.append("CH") }
        for item in members { arguments += [item.longitude, item.latitude, item.member] }
        return try send("GEOADD", arguments, as: Int.self)
    }

    /// GEODIST in `unit`, nil when a member is missing.
    public func geodist(_ key: some RedisKeyConvertible, _ member1: some RedisArgument, _ member2: some RedisArgument,
                        unit: GeoUnit = .meters) throws -> RedisCommand<Double?> {
        try send("GEODIST", [key, member1, member2, unit.rawValue], as: Double?.self)
    }

    /// GEOHASH: an 11-character geohash per member, nil where missing.
    public func geohash(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: any RedisArgument...)
        throws -> RedisCommand<[String?]>
    {
        try geohashListForm(key, member, members)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func geohashListForm(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: [any RedisArgument])
        throws -> RedisCommand<[String?]>
    {
        try send("GEOHASH", [key, member] + members, as: [String?].self, encoding: .utf8)
    }

    /// GEOPOS: a position per member, nil where missing.
    public func geopos(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: any RedisArgument...)
        throws -> RedisCommand<[GeoPoint?]>
    {
        try geoposListForm(key, member, members)
    }

    /// The variadic form above with its lists spelled as arrays (what `Redis`'s method calls).
    func geoposListForm(_ key: some RedisKeyConvertible, _ member: any RedisArgument, _ members: [any RedisArgument])
        throws -> RedisCommand<[GeoPoint?]>
    {
        return try send("GEOPOS", [key, member] + members).map { reply, _ in
            return try Redis.items(reply).map { item in item.isNull ? nil : try Redis.point(item) }
        }
    }

    /// GEORADIUS around a position.
    public func georadius(
        _ key: some RedisKeyConvertible, longitude: Double, latitude: Double, radius: Double, unit: GeoUnit = .meters,
        withDist: Bool = false, withCoord: Bool = false, withHash: Bool = false, count: Int? = nil,
        any: Bool = false, order: RedisSortOrder? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[GeoMember]> {
        let options = try Redis.geoOptions(withDist, withCoord, withHash, count, any, order)
        return try send("GEORADIUS", [key, longitude, latitude, radius,
            unit.rawValue] + options).encoded(with: encoding).map { reply, text in
            try Redis.geoMembers(reply, withDist, withCoord, withHash, text)
        }
    }

    /// GEORADIUSBYMEMBER around a member's position.
    public func georadiusbymember(
        _ key: some RedisKeyConvertible, member: some RedisArgument, radius: Double, unit: GeoUnit = .meters,
        withDist: Bool = false, withCoord: Bool = false, withHash: Bool = false, count: Int? = nil,
        any: Bool = false, order: RedisSortOrder? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[GeoMember]> {
        let options = try Redis.geoOptions(withDist, withCoord, withHash, count, any, order)
        return try send("GEORADIUSBYMEMBER", [key, member, radius,
            unit.rawValue] + options).encoded(with: encoding).map { reply, text in
            try Redis.geoMembers(reply, withDist, withCoord, withHash, text)
        }
    }

    /// GEOSEARCH from a member or a position, within a radius or a box.
    public func geosearch(
        _ key: some RedisKeyConvertible, from origin: GeoSearchOrigin, by shape: GeoSearchShape, withDist: Bool = false,
        withCoord: Bool = false, withHash: Bool = false, count: Int? = nil, any: Bool = false,
        order: RedisSortOrder? = nil, encoding: RedisEncoding? = nil
    ) throws -> RedisCommand<[GeoMember]> {
        var arguments: [any RedisArgument] = [key] + Redis.geoSearchArea(origin, shape)
        // GEOSEARCH spells the order before COUNT, like the radius commands accept it.
        arguments += try Redis.geoOptions(withDist, withCoord, withHash, count, any, order)
        return try send("GEOSEARCH", arguments).encoded(with: encoding).map { reply, text in
            try Redis.geoMembers(reply, withDist, withCoord, withHash, text)
        }
    }
}

extension Redis {
    static func point(_ value: RESPValue) throws -> GeoPoint {
        let parts = try [Double](fromRESP: value, encoding: .utf8)
        guard parts.count == 2 else {
            throw UnexpectedReplyError("expected [longitude, latitude], got \(value.preview)")
        }
        return GeoPoint(longitude: parts[0], latitude: parts[1])
    }

    static func geoOptions(_ withDist: Bool, _ withCoord: Bool, _ withHash: Bool, _ count: Int?, _ any: Bool,
                           _ order: RedisSortOrder?) throws -> [any RedisArgument] {
        var arguments: [any RedisArgument] = []
        if withCoord { arguments.append("WITHCOORD") }
        if withDist { arguments.append("WITHDIST") }
        if withHash { arguments.append("WITHHASH") }
        if let count {
            guard count > 0 else { throw InvalidArgumentError("count must be > 0, got \(count)") }
            arguments += ["COUNT", count]
            if any { arguments.append("ANY") }
        } else if any {
            throw InvalidArgumentError("any needs a count")
        }
        if let order { arguments.append(order.keyword) }
        return arguments
    }

    /// Items are plain names without WITH* options; with them, `[name, dist?, hash?, [lon, lat]?]` in that order
    /// whatever order the options were sent in.
    static func geoMembers(_ reply: RESPValue, _ withDist: Bool, _ withCoord: Bool, _ withHash: Bool,
                           _ text: RedisEncoding) throws -> [GeoMember] {
        return try Self.items(reply).map { item in
            guard withDist || withCoord || withHash else {
                return GeoMember(name: try String(fromRESP: item, encoding: text))
            }
            let parts = try Self.items(item)
            let expected = 1 + (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0)
            guard parts.count == expected else { throw UnexpectedReplyError("unexpected geo item \(item.preview)") }
            var member = GeoMember(name: try String(fromRESP: parts[0], encoding: text))
            var index = 1
            if withDist {
                member.distance = try Double(fromRESP: parts[index], encoding: .utf8)
                index += 1
            }
            if withHash {
                member.hash = try Int(fromRESP: parts[index], encoding: .utf8)
                index += 1
            }
            if withCoord { member.coordinates = try Self.point(parts[index]) }
            return member
        }
    }
}
