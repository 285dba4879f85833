// Only AsyncRedis and Testing (and the test helpers, which export no NIO type) are imported here: the NIO types
// of the public API must be nameable without NIOCore.
import AsyncRedis
import AsyncRedisTestSupport
import Testing

@Suite("Re-exported NIO types")
struct ReExportTests {
    @Test("a message's payload is a ByteBuffer a user can name and read with import AsyncRedis alone")
    func byteBufferIsNameable() async throws {
        let redis = try await createRedis(try TestServers.plain())
        defer { redis.close() }
        let receiver = try await createRedis(try TestServers.plain())
        defer { receiver.close() }
        let name = "test:reexport:\(Int.random(in: 0...Int.max))"
        let channel = try await receiver.subscribe(name)[0]
        #expect(try await redis.publish(name, [UInt8]([1, 2, 3])) == 1)
        let message = try await withTimeLimit { try await channel.get() }
        let payload: ByteBuffer? = message?.payload
        #expect(payload?.readableBytesView.elementsEqual([1, 2, 3]) == true)
        let decoded = try await redis.publish(name, "x")
        #expect(decoded == 1)
        let text: String? = try await withTimeLimit { try await channel.get { (bytes: ByteBuffer) in String(buffer: bytes) } }
        #expect(text == "x")
        let group: (any EventLoopGroup)? = nil
        let tls: TLSConfiguration? = nil
        #expect(group == nil && tls == nil)
    }
}
