import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Opens a `RedisConnection`: socket, TLS, then the handshake (HELLO, AUTH, SELECT), all under `timeout` (10 s
/// when none is given): a server that accepts and never answers cannot hold a caller, or a pool's refill.
enum RedisConnectionFactory {
    static func connect(_ configuration: RedisConnectionConfiguration) async throws -> RedisConnection {
        try configuration.validate()
        let logger = RedisLogging.logger(configuration.logger, for: configuration.address, db: configuration.db)
        logger.debug("connecting")
        do {
            let connection = try await connectWithinTimeout(configuration)
            connection.logger.debug("connected")
            return connection
        } catch {
            logger.debug("connect failed", metadata: ["error.type": "\(CommandInstruments.errorType(of: error))"])
            throw error
        }
    }

    private static func connectWithinTimeout(_ configuration: RedisConnectionConfiguration) async throws
        -> RedisConnection
    {
        let timeout = configuration.timeout ?? RedisConnectionConfiguration.defaultConnectTimeout
        return try await withThrowingTaskGroup(of: RedisConnection?.self) { group in
            group.addTask {
                do {
                    return try await connectAndHandshake(configuration)
                } catch let error as TimeoutError where !(error is ConnectTimeoutError) {
                    // A handshake command outlived the command timeout: still a connect that timed out.
                    throw ConnectTimeoutError(
                        "could not connect to \(configuration.address): the handshake timed out (\(error.message))")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            do {
                if let connection = try await group.next()! {
                    group.cancelAll()
                    return connection
                }
            } catch {
                group.cancelAll()
                throw error
            }
            // The timer fired first: abandon the attempt, closing a connection that completes late.
            group.cancelAll()
            while let late = try? await group.next() { late?.close() }
            throw connectTimeoutError(configuration, timeout)
        }
    }

    private static func connectTimeoutError(_ configuration: RedisConnectionConfiguration, _ timeout: Duration)
        -> ConnectTimeoutError
    {
        ConnectTimeoutError("could not connect to \(configuration.address) within \(timeout)")
    }

    private static func connectAndHandshake(_ configuration: RedisConnectionConfiguration) async throws
        -> RedisConnection
    {
        let connection = try await open(configuration, parser: configuration.parser)
        do {
            if Task.isCancelled { throw CancellationError() }
            try await handshake(connection, configuration)
            // Whether credentials were sent, never which.
            connection.logger.debug(
                "handshake done",
                metadata: [
                    "redis.protocol": "\(configuration.protocolVersion)",
                    "redis.authenticated": "\(configuration.password != nil)",
                ])
            return connection
        } catch {
            connection.close()
            throw error
        }
    }

    private static func handshake(_ connection: RedisConnection, _ configuration: RedisConnectionConfiguration)
        async throws
    {
        if configuration.protocolVersion == 3 {
            var arguments: [any RedisArgument] = [3]
            if let password = configuration.password {
                arguments += ["AUTH", configuration.username ?? "default", password]
            }
            _ = try await connection.execute("HELLO", arguments: arguments)
            connection.markRESP3()
        } else if let password = configuration.password {
            // Named like HELLO names it, so that both protocols accept the same credentials: a bare `AUTH pw` is
            // refused when the default user has no password, where `HELLO 3 AUTH default pw` succeeds.
            try await connection.auth(password, username: configuration.username ?? "default")
        }
        if configuration.db != 0 {
            try await connection.select(configuration.db)
        }
        if configuration.sendsReadOnly {
            _ = try await connection.execute("READONLY", arguments: [])
        }
    }

    private static func open<Parser: RESPParser>(_ configuration: RedisConnectionConfiguration, parser: Parser.Type)
        async throws -> RedisConnection
    {
        let eventLoop = configuration.eventLoopGroup.next()
        let commandTimeout = configuration.commandTimeout.map(TimeAmount.init(_:))
        let healthCheckInterval = configuration.healthCheckInterval.map(TimeAmount.init(_:))
        let state = NIOLockedValueBox(
            ConnectionStateMachine(
                db: 0, allocator: ByteBufferAllocator(), commandTimeout: commandTimeout,
                healthCheckInterval: healthCheckInterval))
        let readyPromise = eventLoop.makePromise(of: Void.self)
        let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0.configuration) }
        let serverHostname = configuration.tls?.serverHostname ?? configuration.address.host.flatMap {
            // SNI carries names only; an IP literal is verified against the certificate's IP entries.
            (try? SocketAddress(ipAddress: $0, port: 0)) == nil ? $0 : nil
        }
        let replyLimits = configuration.replyLimits
        // The channel handler, made on the loop by the initializer below, for the connection to flush through.
        let writer = NIOLockedValueBox<NIOLoopBound<any RedisOutboundFlushing>?>(nil)
        let connectTimeout = TimeAmount(
            configuration.timeout ?? RedisConnectionConfiguration.defaultConnectTimeout)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                do {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext {
                        try sync.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                    }
                    let handler = RedisChannelHandler(
                        state: state, parser: Parser(limits: replyLimits), readyPromise: readyPromise,
                        waitsForTLS: sslContext != nil)
                    try sync.addHandler(handler)
                    writer.withLockedValue {
                        $0 = NIOLoopBound<any RedisOutboundFlushing>(handler, eventLoop: channel.eventLoop)
                    }
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let channel: any Channel
        do {
            switch configuration.address.endpoint {
            case .tcp(let host, let port):
                channel = try await bootstrap.connect(host: host, port: port).get()
            case .unix(let path):
                channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch ChannelError.connectTimeout(let amount) {
            readyPromise.fail(ChannelError.connectTimeout(amount))
            // The same error as the overall bound's: which of the two timers fires first is a matter of chance.
            throw connectTimeoutError(
                configuration, configuration.timeout ?? RedisConnectionConfiguration.defaultConnectTimeout)
        } catch {
            readyPromise.fail(error)
            throw ConnectionClosedError("could not connect to \(configuration.address): \(error)", cause: error)
        }
        do {
            // A future ignores cancellation: closing the channel on it is what ends a TLS handshake the server
            // never answers, when the connect timeout cancels this attempt.
            try await withTaskCancellationHandler {
                try await readyPromise.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            channel.close(promise: nil)
            throw TLSFailure.classify(error, address: configuration.address)
        }
        let address = resolvedAddress(of: channel, configuration.address)
        var logger = RedisLogging.logger(configuration.logger, for: address, db: configuration.db)
        logger[metadataKey: "redis.connection.id"] = "\(RedisLogging.nextConnectionID())"
        guard let writer = writer.withLockedValue({ $0 }) else {
            channel.close(promise: nil)
            throw ConnectionClosedError("could not connect to \(configuration.address): no channel handler")
        }
        return RedisConnection(
            channel: channel, state: state, writer: writer, address: address,
            encoding: configuration.encoding, commandTimeout: commandTimeout, healthCheckInterval: healthCheckInterval,
            logger: logger, instruments: CommandInstruments(configuration, logger: logger, address: address))
    }

    /// The configured address with the host replaced by the IP actually connected to.
    private static func resolvedAddress(of channel: any Channel, _ configured: RedisAddress) -> RedisAddress {
        var address = configured
        address.password = nil
        if case .tcp = configured.endpoint, let remote = channel.remoteAddress, let ip = remote.ipAddress,
            let port = remote.port
        {
            address.endpoint = .tcp(host: ip, port: port)
        }
        return address
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
