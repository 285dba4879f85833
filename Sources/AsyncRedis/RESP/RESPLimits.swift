/// The bounds a reply parser enforces, so that a broken or hostile server cannot make the client allocate without
/// limit or recurse past the stack. Breaking any of them is a `ProtocolError`, and the connection is closed.
public struct RESPLimits: Sendable, Hashable {
    /// The longest bulk string, blob error or verbatim string a reply may announce, in bytes.
    public var maximumBulkLength: Int
    /// The most elements an array, set or push (or pairs a map or attribute) may announce.
    public var maximumAggregateLength: Int
    /// The deepest nesting of aggregates (attributes included) a reply may have. Real replies nest a few levels;
    /// the bound keeps building, comparing, describing and destroying a reply well within the stack.
    public var maximumDepth: Int
    /// The longest header line (type byte and text before CRLF) in bytes: a simple string, an error, a number or a
    /// length. Without it, a line whose CRLF never comes is buffered until the bulk limit.
    public var maximumLineLength: Int

    /// Limits; each defaults to the value Redis itself allows.
    public init(
        maximumBulkLength: Int = Self.defaultMaximumBulkLength,
        maximumAggregateLength: Int = Self.defaultMaximumAggregateLength,
        maximumDepth: Int = Self.defaultMaximumDepth,
        maximumLineLength: Int = Self.defaultMaximumLineLength
    ) {
        self.maximumBulkLength = maximumBulkLength
        self.maximumAggregateLength = maximumAggregateLength
        self.maximumDepth = maximumDepth
        self.maximumLineLength = maximumLineLength
    }

    /// Redis's own `proto-max-bulk-len` default: 512 MB.
    public static var defaultMaximumBulkLength: Int { 512 * 1024 * 1024 }
    /// 512 Mi elements: no real aggregate is refused (a parser only reserves room for elements it has bytes for).
    public static var defaultMaximumAggregateLength: Int { 512 * 1024 * 1024 }
    /// 512 levels of nesting.
    public static var defaultMaximumDepth: Int { 512 }
    /// 64 KiB.
    public static var defaultMaximumLineLength: Int { 64 * 1024 }

    /// The defaults.
    public static var `default`: RESPLimits { RESPLimits() }
}
