/// The keys of one command, pipeline command or transaction hash to different slots, so no single node can run
/// it. Raised before anything is sent.
public final class CrossSlotError: RedisError, @unchecked Sendable {
    /// The keys involved, as given.
    public let keys: [String]

    init(command: String, keys: [(key: String, slot: Int)]) {
        self.keys = keys.map(\.key)
        let listed = keys.map { "\($0.key) (slot \($0.slot))" }.joined(separator: ", ")
        super.init("the keys of \(command) hash to different cluster slots: \(listed); use {hash tags} to put them in one slot")
    }
}

/// The cluster answered `CLUSTERDOWN` (slots not served): retried within the cluster's `retryTimeout`, then thrown.
open class ClusterDownError: ReplyError, @unchecked Sendable {}

/// The cluster answered `TRYAGAIN` (a multi-key command while its keys are being migrated): retried within the
/// cluster's `retryTimeout`, then thrown.
open class TryAgainError: ReplyError, @unchecked Sendable {}

/// A command was redirected (MOVED/ASK) more often than the cluster's `maxRedirections` allows.
public final class ClusterRedirectionError: RedisError, @unchecked Sendable {
    /// The last redirection the cluster answered.
    public let lastRedirection: ReplyError

    init(command: String, redirections: Int, last: ReplyError) {
        lastRedirection = last
        super.init("\(command) was redirected \(redirections) times, the last by \(last.message)")
    }
}
