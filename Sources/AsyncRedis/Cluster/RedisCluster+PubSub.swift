import NIOCore

extension RedisCluster {
    /// SUBSCRIBE and PSUBSCRIBE (whose messages every node relays) go to one node, on a connection that moves to
    /// another node when its node is lost (see `ClusterPlainSubscriptions`). SSUBSCRIBE and SUNSUBSCRIBE go, per
    /// channel, to the master serving the channel's slot.
    public func executePubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue] {
        switch command.uppercased() {
        case "SSUBSCRIBE", "SUNSUBSCRIBE":
            return try await shardPubSub(command, channels: channels)
        default:
            _ = try await currentMasters()
            return try await plainSubscriptions.execute(command, channels: channels, cluster: self)
        }
    }

    /// Shard channels grouped by the master of their slot, one command per master, confirmations in order of
    /// the masters.
    private func shardPubSub(_ command: String, channels: [any PubSubTarget]) async throws -> [RESPValue] {
        if channels.isEmpty {
            // SUNSUBSCRIBE from everything: on every node holding shard subscriptions.
            var confirmations: [RESPValue] = []
            for pool in subscribedPools() where !pool.pubsubShardChannels.isEmpty {
                confirmations += try await pool.executePubSub(command, channels: [])
            }
            return confirmations
        }
        _ = try await currentMasters()
        var groups: [ClusterEndpoint: [any PubSubTarget]] = [:]
        var order: [ClusterEndpoint] = []
        for channel in channels {
            let master = try node(for: ClusterKeySlot.slot(of: channel.pubSubName), readOnly: false, replicas: false)
            if groups[master] == nil { order.append(master) }
            groups[master, default: []].append(channel)
        }
        var confirmations: [RESPValue] = []
        for master in order {
            let pool = try pool(for: master)
            confirmations += try await pool.executePubSub(command, channels: groups[master] ?? [])
            followMovedShardChannels(on: pool)
        }
        return confirmations
    }

    /// When a slot moves, its node unsubscribes the slot's shard channels (SUNSUBSCRIBE from the server): they are
    /// subscribed again on the slot's new master, same channel objects, each told of the gap by a message of kind
    /// `.resubscribed` (as a resubscribing `RedisSubscriber` does).
    private func followMovedShardChannels(on pool: ConnectionsPool) {
        pool.dedicatedPubSubConnection?.onShardChannelMoved { [weak self] channel in
            guard let self else {
                channel.close()
                return
            }
            Task { await self.resubscribe(channel) }
        }
    }

    private func resubscribe(_ channel: PubSubChannel) async {
        let slot = ClusterKeySlot.slot(of: channel.name)
        var retry = ClusterRetryClock(timeout: configuration.retryTimeout)
        var target: ClusterEndpoint?
        var lastError: any Error = ClusterNodeUnavailableError("no master serves slot \(slot)")
        while !isClosed {
            do {
                if target == nil {
                    // The node that unsubscribed no longer serves the slot: read the layout before choosing.
                    try await refreshTopology()
                }
                let master = try target ?? node(for: slot, readOnly: false, replicas: false)
                let pool = try pool(for: master)
                do {
                    _ = try await pool.executePubSub("ssubscribe", channels: [channel])
                } catch let error as ReplyError {
                    // The layout read may lag the move: follow the node's MOVED.
                    guard let redirection = ClusterRedirection(error, replyingHost: master.host) else { throw error }
                    target = redirection.target
                    throw error
                }
                followMovedShardChannels(on: pool)
                Resubscription.announceGap(on: [channel])
                return
            } catch {
                lastError = error
                guard (try? await retry.pause()) == true else { break }
            }
        }
        channel.close(error: lastError)
    }

    private func subscribedPools() -> [ConnectionsPool] {
        state.withLockedValue { Array($0.pools.values) }
    }

    public var pubsubChannels: [String: PubSubChannel] { plainSubscriptions.channels }
    public var pubsubPatterns: [String: PubSubChannel] { plainSubscriptions.patterns }
    public var pubsubShardChannels: [String: PubSubChannel] { mergedPubSub(\.pubsubShardChannels) }
    public var inPubSub: Int { subscribedPools().reduce(plainSubscriptions.count) { $0 + $1.inPubSub } }

    private func mergedPubSub(_ registry: KeyPath<ConnectionsPool, [String: PubSubChannel]>) -> [String: PubSubChannel] {
        subscribedPools().reduce(into: [:]) { merged, pool in
            merged.merge(pool[keyPath: registry]) { first, _ in first }
        }
    }
}
