// No password in a cluster client's descriptions or reflection (see `SecretRedaction`): its configuration holds
// the nodes' credentials and the seeds' URIs.

extension ClusterConfiguration: CustomReflectable {
    var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "seeds": seeds, "node": node, "minSize": minSize, "maxSize": maxSize, "readFrom": readFrom,
                "maxRedirections": maxRedirections, "retryTimeout": retryTimeout,
            ],
            displayStyle: .struct)
    }
}

extension RedisCluster: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(
            self, children: ["nodes": nodes, "readFrom": readFrom, "isClosed": isClosed], displayStyle: .class)
    }
}
