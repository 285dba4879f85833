import NIOSSL

/// TLS settings for a connection (aioredis's `ssl=`).
///
/// `.default` verifies the server's certificate against the system's trust roots and its host name;
/// `rediss://` URIs use it unless `ssl:` is given.
public struct RedisTLS: Sendable {
    /// NIOSSL's settings: trust roots, client certificate, protocol versions.
    public var configuration: TLSConfiguration
    /// The name to verify the certificate against and send as SNI; the address's host when `nil`.
    public var serverHostname: String?

    /// TLS with `configuration`, verifying the certificate against `serverHostname` (else the host).
    public init(configuration: TLSConfiguration, serverHostname: String? = nil) {
        self.configuration = configuration
        self.serverHostname = serverHostname
    }

    /// Verifies the server against the system's trust roots and the address's host name.
    public static var `default`: RedisTLS { RedisTLS(configuration: .makeClientConfiguration()) }

    /// Trusts the CA certificate in the PEM file at `caFile` (and presents a client certificate when given).
    public static func trusting(caFile: String, certificateFile: String? = nil, keyFile: String? = nil) throws
        -> RedisTLS
    {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(caFile)
        if let certificateFile, let keyFile {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        }
        return RedisTLS(configuration: configuration)
    }
}
