/// Decodes the generated table (`RedisCommandTable.encodedTable`, one tab-separated line per command and
/// subcommand; the format is described in the generated file's header).
enum RedisCommandTableDecoding {
    /// Every top-level command's spec, subcommands nested, in the table's (sorted) order.
    static func decode(_ text: String) -> [RedisCommandSpec] {
        var topLevel: [(name: Substring, fields: [Substring])] = []
        var subcommands: [Substring: [RedisCommandSpec]] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            // The generator writes exactly 12 fields; anything else is a hand edit, which the drift test reports.
            precondition(fields.count == 12, "malformed command table line: \(line)")
            if let bar = fields[0].firstIndex(of: "|") {
                subcommands[fields[0][..<bar], default: []].append(spec(fields, subcommands: [:]))
            } else {
                topLevel.append((fields[0], fields))
            }
        }
        return topLevel.map { entry in
            let subs = subcommands[entry.name, default: []]
            let byName = Dictionary(
                uniqueKeysWithValues: subs.map { (String($0.name.split(separator: "|")[1]), $0) })
            return spec(entry.fields, subcommands: byName)
        }
    }

    private static func spec(_ fields: [Substring], subcommands: [String: RedisCommandSpec]) -> RedisCommandSpec {
        let range = fields[4].split(separator: ",").map { Int($0) ?? 0 }
        return RedisCommandSpec(
            name: String(fields[0]),
            arity: Int(fields[1]) ?? 0,
            flags: set(fields[2]),
            aclCategories: set(fields[3]),
            legacyKeyRange: (range.count == 3 ? (range[0], range[1], range[2]) : (0, 0, 0)),
            keySpecs: fields[5].split(separator: " ").map(keySpec),
            tips: set(fields[6]),
            group: String(fields[7]),
            since: String(fields[8]),
            docFlags: set(fields[9]),
            complexity: String(fields[10]),
            summary: String(fields[11]),
            subcommands: subcommands)
    }

    private static func set(_ field: Substring) -> Set<String> {
        Set(field.split(separator: ",").map(String.init))
    }

    /// `FLAGS/BEGIN/FIND`, e.g. `RO+access/k:STREAMS:1/r:-1:1:2`.
    private static func keySpec(_ text: Substring) -> RedisKeySpec {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        precondition(parts.count == 3, "malformed key spec: \(text)")
        let flags = Set(parts[0].split(separator: "+").map(String.init))
        let begin = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        let find = parts[2].split(separator: ":", omittingEmptySubsequences: false).dropFirst().map { Int($0) ?? 0 }
        let beginSearch: RedisKeySpec.BeginSearch
        switch begin.first {
        case "i": beginSearch = .index(Int(begin[1]) ?? 0)
        case "k": beginSearch = .keyword(String(begin[1]), startFrom: Int(begin[2]) ?? 0)
        default: beginSearch = .unknown
        }
        let findKeys: RedisKeySpec.FindKeys
        switch parts[2].first {
        case "r": findKeys = .range(lastKey: find[0], step: find[1], limit: find[2])
        case "n": findKeys = .keyNum(keyNumIndex: find[0], firstKey: find[1], step: find[2])
        default: findKeys = .unknown
        }
        return RedisKeySpec(flags: flags, beginSearch: beginSearch, findKeys: findKeys)
    }
}
