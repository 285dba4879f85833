/// The elements of a SCAN-family iteration (aioredis `iscan`, `ihscan`, `isscan`, `izscan`), fetched one step at a
/// time as the sequence is consumed, following the cursor until the server answers 0.
///
/// As with SCAN itself, an element may be seen twice and elements added or removed during the iteration may or
/// may not appear.
public struct RedisScanSequence<Element: Sendable>: AsyncSequence, Sendable {
    /// One step: from a cursor to the next cursor and that step's elements.
    let step: @Sendable (Int) async throws -> (Int, [Element])

    init(step: @escaping @Sendable (Int) async throws -> (Int, [Element])) {
        self.step = step
    }

    /// An iterator following the cursor from 0 until the server answers 0.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(step: step)
    }

    /// Follows the SCAN cursor, a page at a time.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let step: @Sendable (Int) async throws -> (Int, [Element])
        /// The cursor of the next step; nil once the server answered 0.
        var cursor: Int? = 0
        var buffer: [Element] = []
        var index = 0

        /// The next item; pages are fetched as needed; nil after the last.
        public mutating func next() async throws -> Element? {
            // A step may return no elements while the cursor is not done yet: keep asking.
            while index == buffer.count {
                guard let current = cursor else { return nil }
                let (nextCursor, elements) = try await step(current)
                cursor = nextCursor == 0 ? nil : nextCursor
                buffer = elements
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

extension Redis {
    /// Every key matching `match` (of `type`), SCAN step by SCAN step.
    public func iscan(match: String? = nil, count: Int? = nil, type: String? = nil, encoding: RedisEncoding? = nil)
        -> RedisScanSequence<String>
    {
        RedisScanSequence { [self] cursor in
            let reply = try await scan(cursor: cursor, match: match, count: count, type: type, encoding: encoding)
            return (reply.cursor, reply.keys)
        }
    }

    /// Every (field, value) of a hash, HSCAN step by step.
    public func ihscan(_ key: String, match: String? = nil, count: Int? = nil, encoding: RedisEncoding? = nil)
        -> RedisScanSequence<(field: String, value: String)>
    {
        RedisScanSequence { [self] cursor in
            let reply = try await hscan(key, cursor: cursor, match: match, count: count, encoding: encoding)
            return (reply.cursor, reply.items)
        }
    }

    /// Every member of a set, SSCAN step by step.
    public func isscan(_ key: String, match: String? = nil, count: Int? = nil, encoding: RedisEncoding? = nil)
        -> RedisScanSequence<String>
    {
        RedisScanSequence { [self] cursor in
            let reply = try await sscan(key, cursor: cursor, match: match, count: count, encoding: encoding)
            return (reply.cursor, reply.members)
        }
    }

    /// Every (member, score) of a sorted set, ZSCAN step by step.
    public func izscan(_ key: String, match: String? = nil, count: Int? = nil, encoding: RedisEncoding? = nil)
        -> RedisScanSequence<(member: String, score: Double)>
    {
        RedisScanSequence { [self] cursor in
            let reply = try await zscan(key, cursor: cursor, match: match, count: count, encoding: encoding)
            return (reply.cursor, reply.items)
        }
    }
}
