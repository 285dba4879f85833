extension ReplyError {
    /// A reply as its caller gets it: an error reply becomes the `ReplyError` its code names (`make`), anything else
    /// stays the value. Every reply goes through here: a command's (the connection's `ReplyQueue`), each of a
    /// pipeline's, each of EXEC's.
    static func result(of reply: consuming RESPValue) -> Result<RESPValue, ReplyError> {
        switch consume reply {
        case .error(let message): return .failure(make(fromServerMessage: String(buffer: message)))
        case let value: return .success(value)
        }
    }
}
