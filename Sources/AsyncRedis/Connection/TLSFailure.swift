import NIOSSL

/// Sorts what ended a connection before TLS was up: a refusal by the TLS library (the certificate, its host
/// name, no shared protocol) is a `TLSHandshakeError`, which retrying cannot cure; anything else (the server
/// hung up) is a lost connection.
enum TLSFailure {
    static func classify(_ error: any Error, address: RedisAddress) -> RedisError {
        if let error = error as? RedisError { return error }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return TLSHandshakeError(
                "TLS handshake with \(address) failed: \(explanation(of: error))", cause: error)
        }
        return ConnectionClosedError("TLS handshake with \(address) failed: \(error)", cause: error)
    }

    /// The library's own words, with a plain-language lead for the two failures people meet most.
    private static func explanation(of error: any Error) -> String {
        let text = String(describing: error)
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "the server's certificate does not name the host connected to (\(text)); "
                + "set RedisTLS's serverHostname to a name the certificate holds"
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's certificate is not trusted (\(text)); "
                + "give the CA that signed it, e.g. RedisTLS.trusting(caFile:)"
        }
        return text
    }
}
