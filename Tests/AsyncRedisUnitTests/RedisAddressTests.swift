import Testing

@testable import AsyncRedis

@Suite("RedisAddress parsing")
struct RedisAddressTests {
    @Test func fullTCPURI() throws {
        let address = try parse("redis://user:p%40ss@example.com:6380/2?encoding=utf-8&timeout=1.5")
        #expect(address.endpoint == .tcp(host: "example.com", port: 6380))
        #expect(address.username == "user")
        #expect(address.password == "p@ss")
        #expect(address.db == 2)
        #expect(address.encoding == .utf8)
        #expect(address.timeout == .milliseconds(1500))
        #expect(!address.useTLS)
    }

    @Test func defaultsAndPasswordOnly() throws {
        let address = try parse("redis://:secret@localhost")
        #expect(address.endpoint == .tcp(host: "localhost", port: 6379))
        #expect(address.username == nil)
        #expect(address.password == "secret")
        #expect(address.db == nil)
    }

    @Test func queryParameters() throws {
        let address = try parse("redis://h?db=4&password=pw&username=u")
        #expect(address.db == 4)
        #expect(address.password == "pw")
        #expect(address.username == "u")
    }

    @Test func tlsScheme() throws {
        let address = try parse("rediss://cache.internal:6390")
        #expect(address.useTLS)
        #expect(address.port == 6390)
        let configuration = RedisConnectionConfiguration(address: address)
        #expect(configuration.tls != nil)
    }

    @Test func ipv6Literal() throws {
        let address = try parse("redis://[::1]:7000/1")
        #expect(address.endpoint == .tcp(host: "::1", port: 7000))
        #expect(address.db == 1)
        #expect(address.description == "redis://[::1]:7000")
    }

    @Test func unixForms() throws {
        let uri = try parse("unix:///tmp/redis.sock?db=1&password=x")
        #expect(uri.endpoint == .unix(path: "/tmp/redis.sock"))
        #expect(uri.db == 1)
        #expect(uri.password == "x")
        let bare: RedisAddress = "/var/run/redis.sock"
        #expect(bare.endpoint == .unix(path: "/var/run/redis.sock"))
    }

    @Test func explicitArgumentsWinOverTheURI() {
        let address: RedisAddress = "redis://u:uripw@h/3?encoding=ascii"
        let configuration = RedisConnectionConfiguration(
            address: address, db: 5, password: "explicit", encoding: .latin1)
        #expect(configuration.db == 5)
        #expect(configuration.password == "explicit")
        #expect(configuration.username == "u")
        #expect(configuration.encoding == .latin1)
        #expect(RedisConnectionConfiguration(address: address).db == 3)
    }

    @Test(
        "malformed addresses name the wrong part",
        arguments: [
            ("http://h", "scheme"),
            ("redis://h:notaport", "port"),
            ("redis://h:70000", "port"),
            ("redis://h/abc", "database"),
            ("redis://h/1?db=2", "twice"),
            ("redis://h?encoding=klingon", "encoding"),
            ("redis://h?timeout=-1", "timeout"),
            // Found by scripts/fuzz.sh: the conversion to milliseconds trapped.
            ("redis://h?timeout=1e300", "timeout"),
            ("redis://h?timeout=inf", "timeout"),
            ("redis://h?color=blue", "color"),
            ("redis://[::1", "]"),
            ("redis://::1:6379", "brackets"),
            ("localhost", "neither"),
            ("unix://", "path"),
        ])
    func malformed(input: String, mentions: String) {
        do {
            _ = try RedisAddress(input)
            Issue.record("\(input) parsed")
        } catch let error as InvalidAddressError {
            #expect(error.message.contains(mentions), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func malformedLiteralThrowsWhenUsed() async {
        let address: RedisAddress = "redis://h:port"
        await #expect(throws: InvalidAddressError.self) {
            _ = try await createConnection(address)
        }
    }
}

/// Goes through the throwing initializer (a literal argument would pick the literal one).
private func parse(_ text: String) throws -> RedisAddress {
    try RedisAddress(text)
}
