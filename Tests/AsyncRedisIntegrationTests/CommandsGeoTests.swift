import Testing

@testable import AsyncRedis

@Suite("Commands: geo")
struct CommandsGeoTests {
    static let palermo = GeoPoint(longitude: 13.361389, latitude: 38.115556)
    static let catania = GeoPoint(longitude: 15.087269, latitude: 37.502669)

    func sicily(_ redis: Redis) async throws -> String {
        let key = uniqueKey()
        let added = try await redis.geoadd(key, [
            (Self.palermo.longitude, Self.palermo.latitude, "Palermo"),
            (Self.catania.longitude, Self.catania.latitude, "Catania"),
        ])
        #expect(added == 2)
        return key
    }

    @Test("geoadd, geodist in units, geohash, geopos")
    func basics() async throws {
        try await withRedis { redis in
            let key = try await sicily(redis)
            #expect(try await redis.geoadd(key, longitude: 13.5, latitude: 38, member: "Other") == 1)
            #expect(try await redis.geoadd(key, [(13.6, 38, "Other")], exist: .ifNotExists) == 0)
            #expect(try await redis.geoadd(key, [(13.6, 38, "Other")], changed: true) == 1)
            let meters = try #require(try await redis.geodist(key, "Palermo", "Catania"))
            #expect(abs(meters - 166_274.15) < 1)
            let km = try #require(try await redis.geodist(key, "Palermo", "Catania", unit: .kilometers))
            #expect(abs(km - 166.274) < 0.01)
            #expect(try await redis.geodist(key, "Palermo", "Nowhere") == nil)
            #expect(try await redis.geohash(key, "Palermo", "Nowhere") == ["sqc8b49rny0", nil])
            let positions = try await redis.geopos(key, "Palermo", "Nowhere")
            #expect(positions.count == 2 && positions[1] == nil)
            let palermo = try #require(positions[0])
            #expect(abs(palermo.longitude - Self.palermo.longitude) < 0.0001)
            #expect(abs(palermo.latitude - Self.palermo.latitude) < 0.0001)
            try await redis.del(key)
        }
    }

    @Test("georadius and georadiusbymember with and without WITH* options")
    func radius() async throws {
        try await withRedis { redis in
            let key = try await sicily(redis)
            let names = try await redis.georadius(key, longitude: 15, latitude: 37, radius: 200, unit: .kilometers,
                                                  order: .ascending)
            #expect(names == [GeoMember(name: "Catania"), GeoMember(name: "Palermo")])
            let full = try await redis.georadius(key, longitude: 15, latitude: 37, radius: 200, unit: .kilometers,
                                                 withDist: true, withCoord: true, withHash: true, count: 1)
            #expect(full.count == 1)
            let catania = try #require(full.first)
            #expect(catania.name == "Catania")
            #expect(abs((catania.distance ?? 0) - 56.4413) < 0.001)
            #expect(catania.hash == 3_479_447_370_796_909)
            #expect(abs((catania.coordinates?.longitude ?? 0) - Self.catania.longitude) < 0.0001)
            let byMember = try await redis.georadiusbymember(key, member: "Palermo", radius: 100, unit: .kilometers,
                                                             withDist: true)
            #expect(byMember.map(\.name) == ["Palermo"] && byMember.first?.distance == 0)
            await expectInvalidArgument {
                try await redis.georadius(key, longitude: 15, latitude: 37, radius: 1, any: true)
            }
            try await redis.del(key)
        }
    }

    @Test("geosearch from a member or a position, by radius or box")
    func search() async throws {
        try await withRedis { redis in
            let key = try await sicily(redis)
            let around = try await redis.geosearch(key, from: .coordinates(GeoPoint(longitude: 15, latitude: 37)),
                                                   by: .radius(200, .kilometers), order: .descending)
            #expect(around.map(\.name) == ["Palermo", "Catania"])
            let box = try await redis.geosearch(key, from: .member("Catania"), by: .box(width: 50, height: 50, .kilometers),
                                                withCoord: true)
            #expect(box.map(\.name) == ["Catania"] && box.first?.coordinates != nil && box.first?.distance == nil)
            try await redis.del(key)
        }
    }
}
