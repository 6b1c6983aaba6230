/// A refused or failed export to, or import from, PostgreSQL, beyond what ``PostgresError`` (the server or the
/// connection) and `VecdError` (the store) report. Like them, a failure leaves the target unchanged: every
/// export and every import batch runs in one transaction.
public struct PostgresTransferError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong; a struct so that codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public var description: String { rawValue }

        /// A flag or name the caller can fix (a schema name, a column that does not exist).
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The target holds tables of these names that this store did not write; `--replace` overwrites them.
        public static let targetNotEmpty = Code(rawValue: "target_not_empty")
        /// After loading, a table's row count differs from the source's.
        public static let countMismatch = Code(rawValue: "count_mismatch")
        /// The source table is missing or lacks a required column.
        public static let sourceMissing = Code(rawValue: "source_missing")
    }

    public var code: Code
    /// What was expected, what came in, and where.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
