import NIOCore

/// The hash slot of a key, as Redis Cluster computes it: CRC16 (XMODEM) of the key modulo 16384, where a key
/// holding `{tag}` with a non-empty tag is hashed on the tag alone, so that related keys can share a slot.
enum ClusterKeySlot {
    static let slotCount = 16384

    static func slot(ofBytes key: some Collection<UInt8>) -> Int {
        Int(crc16(hashedPart(of: key)) & 0x3FFF)
    }

    static func slot(of argument: any RedisArgument) -> Int {
        if let text = argument as? String {
            var text = text
            return text.withUTF8 { slot(ofBytes: $0) }
        }
        return slot(ofBytes: RedisArgumentPayload.bytes(of: argument))
    }

    /// The part of `key` that is hashed: the first `{...}` with something inside, else the whole key.
    private static func hashedPart<Key: Collection<UInt8>>(of key: Key) -> Key.SubSequence {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return key[...] }
        let afterOpen = key.index(after: open)
        guard let close = key[afterOpen...].firstIndex(of: UInt8(ascii: "}")), close != afterOpen else {
            return key[...]
        }
        return key[afterOpen..<close]
    }

    /// CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), the variant the Redis Cluster specification names.
    static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ crc16Table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    private static let crc16Table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }
}

extension RedisArgumentPayload {
    /// The argument as text (keys in error messages, subcommand names).
    static func text(of argument: any RedisArgument) -> String {
        if let text = argument as? String { return text }
        return String(decoding: bytes(of: argument), as: UTF8.self)
    }
}
