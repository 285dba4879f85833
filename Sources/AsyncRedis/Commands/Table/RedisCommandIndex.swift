/// Finds a command's entry by name, in any ASCII case, without allocating: this runs for every command sent.
///
/// An open-addressing table of entry numbers, hashed with FNV-1a over the case-folded name bytes; a hit is
/// confirmed by comparing the bytes. A `Dictionary<String, _>` would need an uppercased copy of the name (or a
/// wrapper with its own hashing) and SipHash per command.
struct RedisCommandIndex: Sendable {
    /// Slot → entry number + 1; 0 is empty. A power of two, at most a quarter full, so probes stay short.
    private let slots: [UInt16]
    /// Each entry's name, lowercase.
    private let names: [[UInt8]]

    init(lowercaseNames: [String]) {
        var size = 64
        while size < lowercaseNames.count * 4 { size *= 2 }
        var slots = [UInt16](repeating: 0, count: size)
        for (number, name) in lowercaseNames.enumerated() {
            var slot = Self.hash(name.utf8) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = UInt16(number + 1)
        }
        self.slots = slots
        self.names = lowercaseNames.map { Array($0.utf8) }
    }

    /// The entry number of `name`, whatever its ASCII case; `nil` when the table has no such command.
    func find(_ name: String) -> Int? {
        if let found = name.utf8.withContiguousStorageIfAvailable({ find(bytes: $0) }) { return found }
        return find(bytes: Array(name.utf8))
    }

    func find<Bytes: Collection<UInt8>>(bytes name: Bytes) -> Int? {
        let mask = slots.count - 1
        var slot = Self.hash(name) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if Self.equalsFolded(name, names[entry - 1]) { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// ASCII `A`-`Z` to lowercase; every other byte unchanged (so `_`, `-` and `|` stay distinct).
    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    private static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash = (hash ^ UInt32(fold(byte))) &* 16_777_619
        }
        return Int(hash)
    }

    private static func equalsFolded<Bytes: Collection<UInt8>>(_ name: Bytes, _ lowercase: [UInt8]) -> Bool {
        guard name.count == lowercase.count else { return false }
        var index = 0
        for byte in name {
            if fold(byte) != lowercase[index] { return false }
            index += 1
        }
        return true
    }
}
