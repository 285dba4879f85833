// The errors of a pipeline or MULTI/EXEC block that carry every command's result, failures included.

/// A pipeline in which some commands failed: besides `errors` (inherited, by index) it carries every reply.
public final class PipelineResultsError: PipelineError, @unchecked Sendable {
    /// One result per command of the batch, in order: the failures are the same as in `errors`.
    public let results: [Result<RESPValue, any Error>]

    /// A pipeline whose failed commands are in `errors`, with every outcome in `results`.
    public init(_ message: String, results: [Result<RESPValue, any Error>]) {
        self.results = results
        super.init(message, errors: failures(in: results))
    }
}

/// A MULTI/EXEC block in which some commands failed while EXEC ran (e.g. `WRONGTYPE`): the block was executed,
/// `errors` (inherited) holds the failures by index within the block and `results` every command's result.
public final class MultiExecResultsError: MultiExecError, @unchecked Sendable {
    /// Every command's outcome, in order.
    public let results: [Result<RESPValue, any Error>]

    /// A block whose failed commands are in `errors`, with every outcome in `results`.
    public init(_ message: String, results: [Result<RESPValue, any Error>]) {
        self.results = results
        super.init(message, errors: failures(in: results))
    }
}

/// The failed results, by index: what `PipelineError.errors` holds.
private func failures(in results: [Result<RESPValue, any Error>]) -> [(index: Int, error: any Error)] {
    results.enumerated().compactMap { index, result in
        if case .failure(let error) = result { return (index: index, error: error) }
        return nil
    }
}
