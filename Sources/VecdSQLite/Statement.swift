internal import CSQLite
public import Foundation

/// A prepared statement: bind parameters by index (1-based) or name, step through rows, read columns (0-based).
///
/// Not thread-safe, like the ``Connection`` that made it; the owner serializes access.
public final class Statement {
    let handle: OpaquePointer
    /// The SQL text, kept for error messages.
    public let sql: String
    private unowned let connection: Connection

    init(connection: Connection, sql: String, persistent: Bool) throws(SQLiteError) {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let result = sqlite3_prepare_v3(connection.handle, sql, -1, flags, &statement, nil)
        guard result == SQLITE_OK, let statement else {
            throw SQLiteError(resultCode: result, handle: connection.handle, sql: sql)
        }
        handle = statement
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: - Binding

    /// Number of parameters the statement takes.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds `value` to parameter `index` (1-based, as in SQLite).
    public func bind(_ value: some SQLiteBindable, at index: Int) throws(SQLiteError) {
        let position = Int32(index)
        let result: Int32
        switch value.sqliteValue {
        case .integer(let number): result = sqlite3_bind_int64(handle, position, number)
        case .double(let number): result = sqlite3_bind_double(handle, position, number)
        case .null: result = sqlite3_bind_null(handle, position)
        case .text(let text):
            // withCString gives a valid pointer even for "", so SQLite stores an empty string rather than NULL.
            let byteCount = Int32(text.utf8.count)
            result = text.withCString { vecd_sqlite3_bind_text_copy(handle, position, $0, byteCount) }
        case .blob(let data):
            result = data.withUnsafeBytes { bytes in
                // SQLite stores NULL for a null pointer; a zero-length blob needs a valid one.
                var empty: UInt8 = 0
                let base = bytes.baseAddress ?? withUnsafePointer(to: &empty) { UnsafeRawPointer($0) }
                return vecd_sqlite3_bind_blob_copy(handle, position, base, Int32(bytes.count))
            }
        }
        guard result == SQLITE_OK else { throw SQLiteError(resultCode: result, handle: connection.handle, sql: sql) }
    }

    /// Binds `value` to the parameter called `name` (with its prefix: `:id`, `@id` or `$id`).
    public func bind(_ value: some SQLiteBindable, name: String) throws(SQLiteError) {
        let index = sqlite3_bind_parameter_index(handle, name)
        guard index > 0 else {
            throw SQLiteError(code: .range, message: "no parameter named \(name)", sql: sql)
        }
        try bind(value, at: Int(index))
    }

    /// Binds `values` to parameters 1, 2, 3, … in order.
    public func bind(_ values: [any SQLiteBindable]) throws(SQLiteError) {
        guard values.count == parameterCount else {
            throw SQLiteError(
                code: .range, message: "statement takes \(parameterCount) parameters, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() { try bind(value.sqliteValue, at: offset + 1) }
    }

    /// Rewinds the statement and clears its bindings, ready to run again.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: - Stepping

    /// Advances to the next row; returns `false` when the statement is done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        try connection.checkTransactionIntact()
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            // sqlite3_reset returns the same error and leaves the statement reusable.
            sqlite3_reset(handle)
            let error = SQLiteError(resultCode: result, handle: connection.handle, sql: sql)
            connection.noteFailure(error)
            throw error
        }
    }

    /// Runs the statement to completion, ignoring any rows.
    public func run() throws(SQLiteError) {
        while try step() {}
    }

    // MARK: - Columns of the current row

    /// Number of columns in each row.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of column `index`.
    public func columnName(_ index: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(index))) }

    /// Whether column `index` of the current row is NULL.
    public func isNull(_ index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    /// Column `index` as an integer (NULL reads as 0).
    public func int64(_ index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    /// Column `index` as an `Int` (NULL reads as 0).
    public func int(_ index: Int) -> Int { Int(sqlite3_column_int64(handle, Int32(index))) }

    /// Column `index` as a double (NULL reads as 0).
    public func double(_ index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }

    /// Column `index` as text (NULL reads as "").
    public func string(_ index: Int) -> String {
        guard let text = sqlite3_column_text(handle, Int32(index)) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Column `index` as text, or nil when NULL.
    public func optionalString(_ index: Int) -> String? { isNull(index) ? nil : string(index) }

    /// Column `index` as an integer, or nil when NULL.
    public func optionalInt(_ index: Int) -> Int? { isNull(index) ? nil : int(index) }

    /// Column `index` as bytes (NULL reads as empty).
    public func data(_ index: Int) -> Data {
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        guard count > 0, let bytes = sqlite3_column_blob(handle, Int32(index)) else { return Data() }
        return Data(bytes: bytes, count: count)
    }

    /// Calls `body` with the bytes of blob column `index`, without copying them; valid only inside `body`.
    public func withBlob<T>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        let bytes = sqlite3_column_blob(handle, Int32(index))
        return try body(UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : count))
    }

    /// Column `index` in its own storage class.
    public func value(_ index: Int) -> SQLiteValue {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .double(double(index))
        case SQLITE_TEXT: return .text(string(index))
        case SQLITE_BLOB: return .blob(data(index))
        default: return .null
        }
    }
}
