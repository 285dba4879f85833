import AsyncRedis
import NIOCore

/// The running server's own command specs, read with COMMAND INFO and COMMAND DOCS and shaped like the table's,
/// so that tests can compare the two.
enum ServerCommandSpecs {
    /// Top-level commands by name, subcommands nested. A server without COMMAND DOCS (Redis 6.2) gives empty
    /// documentation fields; one without key specs (6.2) gives none.
    static func read(_ connection: RedisConnection) async throws -> [String: RedisCommandSpec] {
        // Plain COMMAND lists every command on every version (6.2's COMMAND INFO needs names).
        let infos = try await connection.execute("COMMAND").arrayItems
        let docs = (try? await connection.execute("COMMAND", "DOCS")).map(pairs) ?? [:]
        var specs: [String: RedisCommandSpec] = [:]
        for info in infos {
            let spec = spec(info.arrayItems, docs: docs)
            specs[spec.name] = spec
        }
        return specs
    }

    private static func spec(_ info: [RESPValue], docs: [String: RESPValue]) -> RedisCommandSpec {
        let name = info[0].text
        let doc = docs[name].map(pairs) ?? [:]
        let subDocs = doc["subcommands"].map(pairs) ?? [:]
        let subs = info.count > 9 ? info[9].arrayItems.map { spec($0.arrayItems, docs: subDocs) } : []
        return RedisCommandSpec(
            name: name,
            arity: info[1].int,
            flags: Set(info[2].arrayItems.map(\.text)),
            aclCategories: Set(info[6].arrayItems.map { String($0.text.drop { $0 == "@" }) }),
            legacyKeyRange: (info[3].int, info[4].int, info[5].int),
            keySpecs: info.count > 8 ? info[8].arrayItems.map(keySpec) : [],
            tips: info.count > 7 ? Set(info[7].arrayItems.map(\.text)) : [],
            group: doc["group"]?.text ?? "",
            since: doc["since"]?.text ?? "",
            docFlags: Set(doc["doc_flags"]?.arrayItems.map(\.text) ?? []),
            complexity: doc["complexity"]?.text ?? "",
            summary: doc["summary"]?.text ?? "",
            subcommands: Dictionary(uniqueKeysWithValues: subs.map { (String($0.name.split(separator: "|")[1]), $0) }))
    }

    private static func keySpec(_ value: RESPValue) -> RedisKeySpec {
        let spec = pairs(value)
        let begin = spec["begin_search"].map(pairs) ?? [:]
        let find = spec["find_keys"].map(pairs) ?? [:]
        let beginSpec = begin["spec"].map(pairs) ?? [:]
        let findSpec = find["spec"].map(pairs) ?? [:]
        let beginSearch: RedisKeySpec.BeginSearch
        switch begin["type"]?.text {
        case "index": beginSearch = .index(beginSpec["index"]?.int ?? -1)
        case "keyword":
            beginSearch = .keyword(beginSpec["keyword"]?.text ?? "", startFrom: beginSpec["startfrom"]?.int ?? 0)
        default: beginSearch = .unknown
        }
        let findKeys: RedisKeySpec.FindKeys
        switch find["type"]?.text {
        case "range":
            findKeys = .range(
                lastKey: findSpec["lastkey"]?.int ?? 0, step: findSpec["keystep"]?.int ?? 0,
                limit: findSpec["limit"]?.int ?? 0)
        case "keynum":
            findKeys = .keyNum(
                keyNumIndex: findSpec["keynumidx"]?.int ?? 0, firstKey: findSpec["firstkey"]?.int ?? 0,
                step: findSpec["keystep"]?.int ?? 0)
        default: findKeys = .unknown
        }
        return RedisKeySpec(
            flags: Set(spec["flags"]?.arrayItems.map(\.text) ?? []), beginSearch: beginSearch, findKeys: findKeys)
    }

    /// A RESP2 flat map (or a RESP3 map) as a dictionary.
    private static func pairs(_ value: RESPValue) -> [String: RESPValue] {
        if case .map(let pairs) = value {
            return Dictionary(pairs.map { ($0.key.text, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        let items = value.arrayItems
        return Dictionary(
            stride(from: 0, to: items.count - 1, by: 2).map { (items[$0].text, items[$0 + 1]) },
            uniquingKeysWith: { first, _ in first })
    }
}

extension RESPValue {
    fileprivate var arrayItems: [RESPValue] {
        switch self {
        case .array(let items?), .set(let items): return items
        default: return []
        }
    }

    fileprivate var text: String { string() ?? "" }
    fileprivate var int: Int { Int(string() ?? "") ?? 0 }
}
