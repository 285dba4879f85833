// The NIO types that appear in AsyncRedis's public API, re-exported so that `import AsyncRedis` alone lets a user
// name them (reading a message's `ByteBuffer` payload, passing an event loop group or a TLS configuration), as
// Swift server libraries conventionally do. Only these types are exported, not the whole of NIO.
@_exported import struct NIOCore.ByteBuffer
@_exported import struct NIOCore.ByteBufferView
@_exported import struct NIOCore.ByteBufferAllocator
@_exported import protocol NIOCore.EventLoop
@_exported import protocol NIOCore.EventLoopGroup
@_exported import struct NIOSSL.TLSConfiguration
