/// Where the keys of one command are, computed as the server computes them for `COMMAND GETKEYS` (and for
/// cluster slot checks): from the command's key specs, and, where a spec leaves it to the command's own parsing
/// (SORT, SORT_RO, MIGRATE), by that parsing.
///
/// Positions are counted in argv, where the command's name is 0; `argumentIndices()` converts to indices into
/// the arguments (argv position - 1).
struct RedisKeyPositions {
    let spec: RedisCommandSpec
    let arguments: [any RedisArgument]

    private var argc: Int { arguments.count + 1 }

    private func argv(_ position: Int) -> [UInt8] { RedisArgumentPayload.bytes(of: arguments[position - 1]) }

    func argumentIndices() -> [Int] {
        argvPositions().map { $0 - 1 }
    }

    func argvPositions() -> [Int] {
        switch spec.name {
        case "sort": return sortPositions()
        // SORT_RO's BY and GET patterns name keys only the sort itself finds; the sorted key is always first.
        case "sort_ro": return [1]
        case "migrate": return migratePositions()
        // Any other command whose specs do not apply to these arguments gets no keys: the server's fallbacks
        // for them (numkeys and STREAMS parsing) find none either, and reply with a syntax error.
        default: return specPositions() ?? []
        }
    }

    /// The keys every spec finds, in spec order; `nil` when a spec cannot be applied (unknown or incomplete,
    /// or out of bounds for these arguments).
    private func specPositions() -> [Int]? {
        var positions: [Int] = []
        for keySpec in spec.keySpecs where !keySpec.flags.contains("not_key") {
            guard let first = begin(keySpec.beginSearch) else {
                if case .keyword = keySpec.beginSearch { continue }  // the keyword is absent: no keys from it
                return nil
            }
            guard let (start, last, step) = find(keySpec.findKeys, from: first),
                last < argc, last >= start, start < argc
            else { return nil }
            positions.append(contentsOf: stride(from: start, through: last, by: max(step, 1)))
            if keySpec.flags.contains("incomplete") { return nil }
        }
        return positions
    }

    /// The argv position the search begins at; `nil` for an unknown spec or a keyword not found.
    private func begin(_ search: RedisKeySpec.BeginSearch) -> Int? {
        switch search {
        case .index(let position):
            return position
        case .keyword(let keyword, let startFrom):
            let lowercase = keyword.lowercased()
            // Forwards from startFrom to the second-to-last argument, or backwards from the end to the first;
            // a keyword in the last place has no key after it.
            let positions =
                startFrom > 0
                ? Array(stride(from: startFrom, to: argc - 1, by: 1))
                : Array(stride(from: argc + startFrom, to: 0, by: -1))
            for position in positions where position >= 1 && position < argc {
                if RedisArgumentPayload.equalsIgnoringCase(argv(position), lowercase) { return position + 1 }
            }
            return nil
        case .unknown:
            return nil
        }
    }

    private func find(_ find: RedisKeySpec.FindKeys, from first: Int) -> (first: Int, last: Int, step: Int)? {
        switch find {
        case .range(let lastKey, let step, let limit):
            if lastKey >= 0 { return (first, first + lastKey, step) }
            if limit == 0 { return (first, argc + lastKey, step) }
            return (first, first + ((argc - first) / limit + lastKey), step)
        case .keyNum(let keyNumIndex, let firstKey, let step):
            let countPosition = first + keyNumIndex
            guard countPosition >= 1, countPosition < argc,
                let count = RedisArgumentPayload.integer(argv(countPosition)), count >= 0
            else { return nil }
            return (first + firstKey, first + firstKey + count - 1, step)
        case .unknown:
            return nil
        }
    }

    /// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination]:
    /// the sorted key, and the last STORE's destination. Options are skipped with their arguments, as the
    /// server's own scan does, so that a pattern spelled "store" is not taken for the option.
    private func sortPositions() -> [Int] {
        var store: Int?
        var position = 2
        while position < argc {
            let argument = argv(position)
            if RedisArgumentPayload.equalsIgnoringCase(argument, "limit") {
                position += 2
            } else if RedisArgumentPayload.equalsIgnoringCase(argument, "store"), position + 1 < argc {
                store = position + 1
            } else if RedisArgumentPayload.equalsIgnoringCase(argument, "get")
                || RedisArgumentPayload.equalsIgnoringCase(argument, "by")
            {
                position += 1
            }
            position += 1
        }
        return [1] + (store.map { [$0] } ?? [])
    }

    /// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password] [AUTH2 user password]
    /// [KEYS key ...]: the one key, or, when the key is empty, every key after KEYS.
    private func migratePositions() -> [Int] {
        guard argc > 6 else { return [3] }
        var position = 6
        while position < argc {
            let argument = argv(position)
            if RedisArgumentPayload.equalsIgnoringCase(argument, "keys") {
                // KEYS with a non-empty key is a syntax error the server reports; it names no keys.
                guard argv(3).isEmpty else { return [] }
                return Array((position + 1)..<argc)
            }
            if RedisArgumentPayload.equalsIgnoringCase(argument, "auth") {
                position += 1
            } else if RedisArgumentPayload.equalsIgnoringCase(argument, "auth2") {
                position += 2
            }
            position += 1
        }
        return [3]
    }
}
