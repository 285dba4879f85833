import AsyncRedis
import AsyncRedisTestSupport
import Testing

@Suite("RedisConnectionOptions applied to an address")
struct ConnectionOptionsMergeTests {
    @Test("options given win over the URI's; options left nil take the URI's, then the defaults")
    func optionsWinOverTheURI() throws {
        let address = try RedisAddress(String("rediss://user:uripw@h:6390/2?encoding=ascii&timeout=1.5"))
        let fromURI = RedisConnectionConfiguration(address: address, options: RedisConnectionOptions())
        #expect(fromURI.db == 2 && fromURI.username == "user" && fromURI.password == "uripw")
        #expect(fromURI.encoding == .ascii && fromURI.timeout == .milliseconds(1500) && fromURI.tls != nil)
        let explicit = RedisConnectionConfiguration(
            address: address,
            options: RedisConnectionOptions(db: 0, username: "me", password: "pw", encoding: .utf8, protocolVersion: 3))
        #expect(explicit.db == 0 && explicit.username == "me" && explicit.password == "pw")
        #expect(explicit.encoding == .utf8 && explicit.protocolVersion == 3)
        let bare = RedisConnectionConfiguration(address: .tcp(), options: RedisConnectionOptions())
        #expect(bare.db == 0 && bare.commandTimeout == RedisCommandTimeout.defaultTimeout && bare.tls == nil)
    }

    @Test("options with a password never print it")
    func optionsHideThePassword() {
        let secret = "0pt10nsS3cr3t"
        let options = RedisConnectionOptions(username: "u", password: secret)
        for text in renderings(options) { #expect(!text.contains(secret), "\(text)") }
        #expect(String(describing: options).contains("<redacted>"))
    }
}
