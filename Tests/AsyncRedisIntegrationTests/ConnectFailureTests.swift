import AsyncRedisTestSupport
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import AsyncRedis

/// A listening socket whose backlog is full: the kernel drops further SYNs, so a TCP connect to it never
/// completes (what an unreachable host looks like, on loopback).
final class FullBacklogListener: Sendable {
    let port: Int
    private let descriptors: [Int32]

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(listener, generic, length) == 0 && listen(listener, 0) == 0
                    && getsockname(listener, generic, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("could not listen: errno \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
        // One connection fills a backlog of 0; it is never accepted.
        let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) == 0 }
        }
        guard connected else { throw TestSetupError("could not fill the backlog: errno \(errno)") }
        descriptors = [listener, filler]
    }

    func close() {
        for descriptor in descriptors { _ = Glibc.close(descriptor) }
    }
}

/// Relays TCP bytes from a listener on 127.0.0.2 to a server on 127.0.0.1: the client sees an address its
/// server's certificate does not list, so the certificate's host name is checked (NIOSSL accepts a certificate
/// that lists the IP connected to, whatever name was asked for).
final class ForwardingProxy: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress!.port! }

    init(to targetPort: Int) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { inbound in
                ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: "127.0.0.1", port: targetPort)
                    .flatMap { outbound in
                        inbound.eventLoop.makeCompletedFuture {
                            try inbound.pipeline.syncOperations.addHandler(RelayHandler(peer: outbound))
                            try outbound.pipeline.syncOperations.addHandler(RelayHandler(peer: inbound))
                        }
                    }
            }
            .bind(host: "127.0.0.2", port: 0).get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Writes what one side reads to the other, and closes the other when one side closes.
private final class RelayHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let peer: any Channel
    init(peer: any Channel) { self.peer = peer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
    }
}

@Suite("Connecting: one error per cause, and every step bounded")
struct ConnectFailureTests {
    @Test("a TCP connect that never completes is a ConnectTimeoutError, every time")
    func tcpConnectTimeout() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        // The socket's own connect timer and the overall bound fire together; either way, one error type.
        for _ in 0..<5 {
            let started = ContinuousClock.now
            await #expect(throws: ConnectTimeoutError.self) {
                _ = try await createConnection(
                    .tcp(host: "127.0.0.1", port: listener.port), timeout: .milliseconds(200))
            }
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test("a handshake past a shorter command timeout, or a TLS handshake never answered, is a ConnectTimeoutError")
    func handshakeTimeout() async throws {
        // ConnectionTests.connectTimeout covers a HELLO/AUTH handshake past `timeout` itself.
        let silent = try await ScriptedServer(reply: nil)
        defer { Task { await silent.close() } }
        let address = RedisAddress.tcp(host: "127.0.0.1", port: silent.port)
        await #expect(throws: ConnectTimeoutError.self) {
            _ = try await createConnection(
                address, timeout: .seconds(5), commandTimeout: .milliseconds(200), protocolVersion: 3)
        }
        // The TLS handshake awaits a future, deaf to cancellation: the bound must close the channel itself.
        let started = ContinuousClock.now
        await #expect(throws: ConnectTimeoutError.self) {
            _ = try await withTimeLimit {
                try await createConnection(address, ssl: .default, timeout: .milliseconds(300))
            }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("createPool against a server that never answers the handshake fails within the default 10 s")
    func poolHandshakeDefaultBound() async throws {
        let silent = try await ScriptedServer(reply: nil)
        defer { Task { await silent.close() } }
        let started = ContinuousClock.now
        await #expect(throws: ConnectTimeoutError.self) {
            _ = try await withTimeLimit(.seconds(20)) {
                try await createPool(
                    .tcp(host: "127.0.0.1", port: silent.port), password: "secret", commandTimeout: nil)
            }
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(9) && elapsed < .seconds(14), "took \(elapsed)")
    }

    @Test("a pool opening a connection on demand gives up within createConnectionTimeout")
    func poolOnDemandBound() async throws {
        let silent = try await ScriptedServer(reply: nil)
        defer { Task { await silent.close() } }
        let pool = try await createPool(
            .tcp(host: "127.0.0.1", port: silent.port), password: "secret", minSize: 0, maxSize: 2,
            createConnectionTimeout: .milliseconds(300))
        defer { pool.close() }
        let started = ContinuousClock.now
        await #expect(throws: ConnectionClosedError.self) {
            _ = try await withTimeLimit { try await pool.execute("PING") }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("an untrusted certificate is a TLSHandshakeError naming the problem, not a ConnectionClosedError", .needsTLS)
    func untrustedCertificate() async throws {
        let port = try TestServers.tlsPort()
        let error = await #expect(throws: TLSHandshakeError.self) {
            _ = try await createConnection(try RedisAddress("rediss://localhost:\(port)"))
        }
        #expect(error?.message.contains("not trusted") == true, "\(String(describing: error))")
        #expect(error?.message.contains("CERTIFICATE_VERIFY_FAILED") == true)
        #expect(!((error as Any) is ConnectionClosedError))
    }

    @Test("a certificate for another host name is a TLSHandshakeError", .needsTLS)
    func wrongHostName() async throws {
        let port = try TestServers.tlsPort()
        let proxy = try await ForwardingProxy(to: port)
        defer { Task { await proxy.close() } }
        var tls = try RedisTLS.trusting(caFile: try TestServers.tlsCA())
        // Through the proxy, the same settings with the right name work: only the name is wrong below.
        tls.serverHostname = "localhost"
        let right = try await createConnection(.tcp(host: "127.0.0.2", port: proxy.port), ssl: tls)
        #expect(try await right.execute("PING", as: String.self) == "PONG")
        right.close()
        tls.serverHostname = "wrong.example"
        let error = await #expect(throws: TLSHandshakeError.self) {
            _ = try await createConnection(.tcp(host: "127.0.0.2", port: proxy.port), ssl: tls)
        }
        #expect(error?.message.contains("does not name the host") == true, "\(String(describing: error))")
    }
}
