/// LATENCY LATEST: the latest and the highest latency spike of one monitored event.
public struct RedisLatencyEvent: Sendable, Hashable {
    /// The event, e.g. `command`, `fast-command`, `fork`.
    public var name: String
    /// Unix time in seconds of the latest spike.
    public var timestamp: Int
    /// The latest spike, in milliseconds.
    public var latestMilliseconds: Int
    /// The highest spike recorded, in milliseconds.
    public var maxMilliseconds: Int
}

/// LATENCY HISTOGRAM: one command's call count and latency distribution.
public struct RedisCommandLatency: Sendable, Hashable {
    /// How many times the command ran.
    public var calls: Int
    /// Cumulative distribution: bucket upper bound in microseconds → calls that took at most that long.
    public var histogram: [Int: Int]
}

// LATENCY (the latency monitor) and MEMORY (memory introspection) subcommands.
extension RedisCommands {
    /// LATENCY DOCTOR: the server's analysis of the latency events, as text for people.
    public func latencyDoctor() throws -> RedisCommand<String> {
        try send("LATENCY", ["DOCTOR"], as: String.self, encoding: .utf8)
    }

    /// LATENCY GRAPH: an ASCII-art graph of an event's spikes (an error when the event has none).
    public func latencyGraph(_ event: String) throws -> RedisCommand<String> {
        try send("LATENCY", ["GRAPH", event], as: String.self, encoding: .utf8)
    }

    /// LATENCY HISTOGRAM: per-command latency distributions, of every command or of `commands` (Redis 7).
    public func latencyHistogram(_ commands: [String] = []) throws -> RedisCommand<[String: RedisCommandLatency]> {
        try send("LATENCY", ["HISTOGRAM"] + commands, as: [String: [String: RESPValue]].self, encoding: .utf8)
            .map { byCommand, _ in
                try byCommand.mapValues { fields in
                    guard let calls = fields["calls"], let histogram = fields["histogram_usec"] else {
                        throw UnexpectedReplyError("LATENCY HISTOGRAM: fields \(fields.keys.sorted())")
                    }
                    return RedisCommandLatency(
                        calls: try Int(fromRESP: calls, encoding: .utf8),
                        histogram: try [Int: Int](fromRESP: histogram, encoding: .utf8))
                }
            }
    }

    /// LATENCY HISTORY: an event's spikes as (Unix time in seconds, milliseconds), oldest first.
    public func latencyHistory(_ event: String) throws -> RedisCommand<[(timestamp: Int, milliseconds: Int)]> {
        try send("LATENCY", ["HISTORY", event], as: [[Int]].self).map { samples, _ in
            try samples.map { sample in
                guard sample.count == 2 else { throw UnexpectedReplyError("LATENCY HISTORY: sample \(sample)") }
                return (sample[0], sample[1])
            }
        }
    }

    /// LATENCY LATEST: the latest and highest spike of every event that had one.
    public func latencyLatest() throws -> RedisCommand<[RedisLatencyEvent]> {
        try send("LATENCY", ["LATEST"], as: [[RESPValue]].self).map { events, _ in
            try events.map { fields in
                // Valkey adds the spikes' sum and count after these four.
                guard fields.count >= 4 else { throw UnexpectedReplyError("LATENCY LATEST: \(fields.count) fields") }
                return RedisLatencyEvent(
                    name: try String(fromRESP: fields[0], encoding: .utf8),
                    timestamp: try Int(fromRESP: fields[1], encoding: .utf8),
                    latestMilliseconds: try Int(fromRESP: fields[2], encoding: .utf8),
                    maxMilliseconds: try Int(fromRESP: fields[3], encoding: .utf8))
            }
        }
    }

    /// LATENCY RESET: forgets the spikes of `events` (of every event when empty); the number of events reset.
    @discardableResult
    public func latencyReset(_ events: [String] = []) throws -> RedisCommand<Int> {
        try send("LATENCY", ["RESET"] + events, as: Int.self)
    }

    /// MEMORY DOCTOR: the server's analysis of its memory use, as text for people.
    public func memoryDoctor() throws -> RedisCommand<String> {
        try send("MEMORY", ["DOCTOR"], as: String.self, encoding: .utf8)
    }

    /// MEMORY MALLOC-STATS: the allocator's own statistics, as text (jemalloc's report).
    public func memoryMallocStats() throws -> RedisCommand<String> {
        try send("MEMORY", ["MALLOC-STATS"], as: String.self, encoding: .utf8)
    }

    /// MEMORY PURGE: asks the allocator to return freed memory to the system.
    @discardableResult
    public func memoryPurge() throws -> RedisCommand<Bool> {
        try sendOK("MEMORY", ["PURGE"])
    }

    /// MEMORY STATS: the server's memory figures by name (`peak.allocated`, `total.allocated`, `keys.count`,
    /// `dataset.bytes`, one map per database `db.N`, ...); which names appear varies between server versions.
    public func memoryStats() throws -> RedisCommand<[String: RESPValue]> {
        try send("MEMORY", ["STATS"], as: [String: RESPValue].self, encoding: .utf8)
    }
}
