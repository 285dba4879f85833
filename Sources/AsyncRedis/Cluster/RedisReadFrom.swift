/// Which nodes of a cluster serve read-only commands (`createCluster(readFrom:)`). Writes, and every command not
/// flagged read-only, always go to the master of their slot.
public enum RedisReadFrom: Sendable, Equatable {
    /// Every command goes to the master of its slot (the default): reads see every acknowledged write.
    case primary
    /// Reads go to a replica of the slot's shard, picked at random, and to the master when the shard lists no
    /// healthy replica or the replica cannot be reached. Replicas lag: a read may miss a recent write.
    case replicaPreferred
    /// Reads go to a replica of the slot's shard only; a shard without a healthy replica fails the read with
    /// `ClusterNodeUnavailableError`.
    case replica
}

/// No node can serve the command (`readFrom: .replica` and the shard lists no healthy replica; or no master
/// serves the slot after the cluster's layout was read again).
public final class ClusterNodeUnavailableError: RedisError, @unchecked Sendable {}
