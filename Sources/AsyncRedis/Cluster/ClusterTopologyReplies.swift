/// Reads the cluster layout from `CLUSTER SHARDS` (Redis 7) or `CLUSTER SLOTS` (older servers).
///
/// Endpoints: a node is reached at the endpoint the cluster announces (its `cluster-preferred-endpoint-type`: IP
/// by default, else host name), and at `askedHost` when it announces none ("?" or empty: "the node you asked").
/// With TLS the node's `tls-port` is used when it has one.
enum ClusterTopologyReplies {
    static func shards(_ reply: RESPValue, askedHost: String, useTLS: Bool) throws -> [ClusterShard] {
        guard let items = reply.clusterArray else { throw unexpected("CLUSTER SHARDS", reply) }
        var shards: [ClusterShard] = []
        for item in items {
            let fields = try fieldMap(item, "CLUSTER SHARDS")
            let bounds = fields["slots"]?.clusterArray?.compactMap(\.clusterInteger) ?? []
            var ranges: [ClosedRange<Int>] = []
            for pair in stride(from: 0, to: bounds.count - 1, by: 2) where bounds[pair] <= bounds[pair + 1] {
                ranges.append(bounds[pair]...bounds[pair + 1])
            }
            var master: ClusterEndpoint?
            var replicas: [ClusterEndpoint] = []
            for node in fields["nodes"]?.clusterArray ?? [] {
                let nodeFields = try fieldMap(node, "CLUSTER SHARDS")
                let tlsPort = nodeFields["tls-port"]?.clusterInteger
                guard let port = (useTLS ? tlsPort : nil) ?? nodeFields["port"]?.clusterInteger else { continue }
                let endpoint = ClusterEndpoint(
                    host: announcedHost(nodeFields["endpoint"]?.clusterText, askedHost: askedHost), port: port)
                if nodeFields["role"]?.clusterText == "master" {
                    master = endpoint
                } else if nodeFields["health"]?.clusterText == "online" {
                    // A failed or loading replica cannot serve reads.
                    replicas.append(endpoint)
                }
            }
            if let master { shards.append(ClusterShard(master: master, replicas: replicas, slots: ranges)) }
        }
        return shards
    }

    static func slots(_ reply: RESPValue, askedHost: String) throws -> [ClusterShard] {
        guard let items = reply.clusterArray else { throw unexpected("CLUSTER SLOTS", reply) }
        // One entry per slot range; a master serving several ranges appears several times.
        var byMaster: [ClusterEndpoint: ClusterShard] = [:]
        var order: [ClusterEndpoint] = []
        for item in items {
            guard let entry = item.clusterArray, entry.count >= 3, let start = entry[0].clusterInteger,
                let end = entry[1].clusterInteger, start <= end
            else { throw unexpected("CLUSTER SLOTS", item) }
            let nodes = try entry[2...].map { node -> ClusterEndpoint in
                guard let fields = node.clusterArray, fields.count >= 2, let port = fields[1].clusterInteger else {
                    throw unexpected("CLUSTER SLOTS", node)
                }
                return ClusterEndpoint(host: announcedHost(fields[0].clusterText, askedHost: askedHost), port: port)
            }
            let master = nodes[0]
            if byMaster[master] == nil {
                order.append(master)
                byMaster[master] = ClusterShard(master: master, replicas: Array(nodes.dropFirst()), slots: [])
            }
            byMaster[master]?.slots.append(start...end)
        }
        return order.compactMap { byMaster[$0] }
    }

    private static func announcedHost(_ host: String?, askedHost: String) -> String {
        guard let host, !host.isEmpty, host != "?" else { return askedHost }
        return host
    }

    /// A RESP3 map, or the RESP2 flat list of alternating names and values.
    private static func fieldMap(_ value: RESPValue, _ command: String) throws -> [String: RESPValue] {
        var fields: [String: RESPValue] = [:]
        switch value {
        case .map(let pairs):
            for pair in pairs { if let name = pair.key.clusterText { fields[name] = pair.value } }
        case .array(.some(let flat)):
            for index in stride(from: 0, to: flat.count - 1, by: 2) {
                if let name = flat[index].clusterText { fields[name] = flat[index + 1] }
            }
        default:
            throw unexpected(command, value)
        }
        return fields
    }

    private static func unexpected(_ command: String, _ value: RESPValue) -> UnexpectedReplyError {
        UnexpectedReplyError("\(command) answered \(value.preview)")
    }
}

extension RESPValue {
    var clusterArray: [RESPValue]? {
        switch self {
        case .array(.some(let items)), .set(let items), .push(let items): return items
        case .attribute(_, let value): return value.clusterArray
        default: return nil
        }
    }

    var clusterInteger: Int? {
        switch self {
        case .integer(let number): return Int(number)
        case .attribute(_, let value): return value.clusterInteger
        default: return string().flatMap { Int($0) }
        }
    }

    var clusterText: String? {
        switch self {
        case .integer, .double, .boolean, .null, .array, .map, .set, .push: return nil
        default: return string()
        }
    }
}
