import NIOCore

/// What a `Redis` method (and its `RedisCommands` builder) takes as a key: a `String` (variable or literal), a
/// `RedisKey`, `[UInt8]` or a `ByteBuffer`, sent as its bytes. Binary keys (any bytes, `0x00` and `0xFF` included)
/// go through every command method this way.
public protocol RedisKeyConvertible: RedisArgument {
    /// The key as a `RedisKey`.
    var redisKey: RedisKey { get }
}

extension String: RedisKeyConvertible {
    /// The key spelled by this text.
    public var redisKey: RedisKey { RedisKey(self) }
}

extension RedisKey: RedisKeyConvertible {
    /// The key itself.
    public var redisKey: RedisKey { self }
}

extension Array: RedisKeyConvertible where Element == UInt8 {
    /// The key made of these bytes.
    public var redisKey: RedisKey { RedisKey(self) }
}

extension ByteBuffer: RedisKeyConvertible {
    /// The key made of the buffer's readable bytes.
    public var redisKey: RedisKey { RedisKey(self) }
}
