import AsyncRedis
import AsyncRedisTestSupport
import Testing

/// A password no other text in these tests contains.
private let secret = "S3cr3tPa55"

@Suite("No password in descriptions, reflection or errors")
struct SecretRedactionTests {
    @Test("addresses and configurations with a password never print it")
    func addressesAndConfigurations() throws {
        let addresses = try [
            "redis://user:\(secret)@example.com:6380/2", "rediss://:\(secret)@example.com",
            "redis://example.com?password=\(secret)", "valkey://user:\(secret)@[::1]:6379",
        ].map { try RedisAddress($0) }
        for address in addresses {
            #expect(address.password == secret)
            for text in renderings(address) { #expect(!text.contains(secret), "\(text)") }
            let configuration = RedisConnectionConfiguration(address: address)
            for text in renderings(configuration) { #expect(!text.contains(secret), "\(text)") }
            #expect(String(describing: configuration).contains("<redacted>"))
        }
        let explicit = RedisConnectionConfiguration(address: .tcp(), username: "u", password: secret)
        for text in renderings(explicit) { #expect(!text.contains(secret), "\(text)") }
    }

    @Test("no parse error quotes the password, and ambiguous user information asks for percent-encoding")
    func parseErrors() {
        let malformed = [
            "user:\(secret)@example.com", "redsi://user:\(secret)@example.com", "redis:/user:\(secret)@example.com",
            "http://user:\(secret)@example.com", "redis://user:\(secret)", "redis://user:\(secret)@example.com:port",
            "redis//user:\(secret)@example.com?password=\(secret)", "redis://user:\(secret)@example.com/x",
        ]
        for input in malformed {
            let error = #expect(throws: InvalidAddressError.self, "\(input)") { _ = try RedisAddress(input) }
            for text in renderings(error as Any) { #expect(!text.contains(secret), "\(input): \(text)") }
        }
        // Found by scripts/fuzz.sh: a query parameter name holding user information was quoted whole.
        let misplaced = "unix:///tmp/redis.sock?:p%40ssr:p%40ssex@%mple.com:638m:6db=0"
        let unknown = #expect(throws: InvalidAddressError.self) { _ = try RedisAddress(misplaced) }
        #expect(unknown.map { !$0.message.contains("p%40ss") } == true)
        let misspelt = #expect(throws: InvalidAddressError.self) { _ = try RedisAddress(String("redis://h?passwrd=x")) }
        #expect(misspelt?.message.contains("'passwrd'") == true)
        for separator in ["/", "?", "#", "@"] {
            let input = "redis://user:\(secret)\(separator)\(secret)@example.com:6379/0"
            let error = #expect(throws: InvalidAddressError.self, "\(input)") { _ = try RedisAddress(input) }
            #expect(error?.message.contains("percent-encode the password") == true, "\(input)")
            #expect(error.map { !$0.description.contains(secret) } == true, "\(input)")
        }
        // A unix socket URI may carry user information before its path.
        let unix = try? RedisAddress("unix://user:\(secret)@/tmp/redis.sock?db=1")
        #expect(unix?.endpoint == .unix(path: "/tmp/redis.sock") && unix?.password == secret && unix?.db == 1)
        for text in renderings(unix as Any) { #expect(!text.contains(secret), "\(text)") }
        // Encoded, the same password is accepted; an `@` in a query value is data, not user information.
        #expect((try? RedisAddress("redis://user:\(secret)%2F%3F%23%40@example.com"))?.password == secret + "/?#@")
        #expect((try? RedisAddress(String("redis://example.com?username=me@example.org&password=pw")))?.username
            == "me@example.org")
    }

    @Test("a string literal that failed to parse keeps no password in what it shows or throws")
    func invalidLiteral() async throws {
        let address: RedisAddress = "user:S3cr3tPa55@example.com"
        for text in renderings(address) { #expect(!text.contains(secret), "\(text)") }
        let error = await #expect(throws: InvalidAddressError.self) { _ = try await createConnection(address) }
        #expect(error.map { !String(describing: $0).contains(secret) } == true)
    }
}
