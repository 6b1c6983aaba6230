import CLibPQ

/// The rows (or command status) a statement returned. Values are read by row and column index, raw or through the
/// typed accessors in `PostgresResult+Decoding.swift`, which accept both the text and the binary result format.
///
/// Owns libpq's result memory until it is released; not `Sendable`.
public final class PostgresResult {
    private let handle: OpaquePointer
    /// The statement that produced this result, for error messages.
    public let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit { PQclear(handle) }

    /// Number of rows returned.
    public var rowCount: Int { Int(PQntuples(handle)) }

    /// Number of columns returned.
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// The command tag, e.g. `INSERT 0 3` or `CREATE INDEX`.
    public var commandStatus: String { String(cString: PQcmdStatus(handle)) }

    /// Rows affected by INSERT, UPDATE, DELETE, COPY, MERGE or SELECT, or nil for other commands.
    public var affectedRowCount: Int? { Int(String(cString: PQcmdTuples(handle))) }

    /// The name of column `column`.
    public func columnName(_ column: Int) -> String {
        checkColumn(column)
        return String(cString: PQfname(handle, Int32(column)))
    }

    /// The index of the column called `name`, or nil.
    public func columnIndex(named name: String) -> Int? {
        (0..<columnCount).first { columnName($0) == name }
    }

    /// The type of column `column`.
    public func columnType(_ column: Int) -> PostgresTypeOID {
        checkColumn(column)
        return PostgresTypeOID(UInt32(PQftype(handle, Int32(column))))
    }

    /// Whether column `column` came back in text or binary form.
    public func columnFormat(_ column: Int) -> PostgresParameter.Format {
        checkColumn(column)
        return PQfformat(handle, Int32(column)) == 1 ? .binary : .text
    }

    /// Whether the value at (`row`, `column`) is SQL NULL.
    public func isNull(row: Int, column: Int) -> Bool {
        checkCell(row, column)
        return PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// Calls `body` with the value's bytes (text without its terminator, or the binary form), or nil for NULL.
    /// The bytes are valid only inside `body`.
    public func withValueBytes<R>(
        row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) rethrows -> R {
        if isNull(row: row, column: column) { return try body(nil) }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        let start = PQgetvalue(handle, Int32(row), Int32(column))
        return try body(UnsafeRawBufferPointer(start: start, count: length))
    }

    /// A copy of the value's bytes, or nil for NULL.
    public func bytes(row: Int, column: Int) -> [UInt8]? {
        withValueBytes(row: row, column: column) { $0.map { Array($0) } }
    }

    /// Row and column indices come from the caller's code, not from input: out of range is a programming error.
    private func checkCell(_ row: Int, _ column: Int) {
        precondition(row >= 0 && row < rowCount, "row \(row) out of range 0..<\(rowCount)")
        checkColumn(column)
    }

    private func checkColumn(_ column: Int) {
        precondition(column >= 0 && column < columnCount, "column \(column) out of range 0..<\(columnCount)")
    }
}
