/// A taken batch, arranged for sending: the commands, the calls that failed before sending one, and the scripts
/// to load ahead of the commands.
struct BatchPlan {
    let slotCount: Int
    private(set) var commands: [(slot: Int, command: QueuedCommand)] = []
    /// Calls that finished without sending a command, by slot.
    private(set) var failures: [(index: Int, error: any Error)] = []
    /// SCRIPT LOAD for each distinct script an EVALSHA of the batch runs, in first-use order.
    private(set) var scriptLoads: [QueuedCommand] = []
    private var scriptLoadIndex: [String: Int] = [:]

    init(_ slots: [QueuedSlot]) {
        slotCount = slots.count
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .command(let command):
                commands.append((slot: index, command: command))
                if let script = command.script, scriptLoadIndex[script.sha1] == nil {
                    scriptLoadIndex[script.sha1] = scriptLoads.count
                    scriptLoads.append(QueuedCommand(name: "SCRIPT", arguments: ["LOAD", script.source]))
                }
            case .noCommand(let error):
                failures.append((index: index, error: error))
            }
        }
    }

    /// One outcome per slot. A script that failed to load (a Lua syntax error, say) reports that error rather than
    /// the NOSCRIPT its EVALSHA met.
    func results(scriptLoads loadReplies: [Result<RESPValue, ReplyError>], commands replies: [Result<RESPValue, any Error>])
        -> [Result<RESPValue, any Error>]
    {
        var results = [Result<RESPValue, any Error>](
            repeating: .failure(InvalidArgumentError("no reply")), count: slotCount)
        for (index, error) in failures { results[index] = .failure(error) }
        for ((slot, command), reply) in zip(commands, replies) {
            results[slot] = reply
            if let script = command.script, case .failure(let error as ReplyError) = reply, error.code == "NOSCRIPT",
                let load = scriptLoadIndex[script.sha1], case .failure(let loadError) = loadReplies[load]
            {
                results[slot] = .failure(loadError)
            }
        }
        return results
    }
}
