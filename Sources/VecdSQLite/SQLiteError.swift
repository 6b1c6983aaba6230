internal import CSQLite

/// An error from SQLite or from vecd's migrator, with the statement that caused it.
///
/// `code` holds SQLite's primary result code (``Code-swift.struct/constraint``, ``Code-swift.struct/busy``, …) or
/// one of the migrator's own codes, which sit above SQLite's range so the two never collide.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; SQLite result codes plus the migrator's codes. A struct, not an enum, so codes can be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let error = Code(rawValue: SQLITE_ERROR)
        public static let busy = Code(rawValue: SQLITE_BUSY)
        public static let locked = Code(rawValue: SQLITE_LOCKED)
        public static let readOnly = Code(rawValue: SQLITE_READONLY)
        public static let ioError = Code(rawValue: SQLITE_IOERR)
        public static let corrupt = Code(rawValue: SQLITE_CORRUPT)
        public static let full = Code(rawValue: SQLITE_FULL)
        public static let cannotOpen = Code(rawValue: SQLITE_CANTOPEN)
        public static let constraint = Code(rawValue: SQLITE_CONSTRAINT)
        public static let tooBig = Code(rawValue: SQLITE_TOOBIG)
        public static let mismatch = Code(rawValue: SQLITE_MISMATCH)
        public static let misuse = Code(rawValue: SQLITE_MISUSE)
        public static let range = Code(rawValue: SQLITE_RANGE)
        public static let notADatabase = Code(rawValue: SQLITE_NOTADB)

        /// The database was written by a newer vecd: its schema version is above every migration this binary has.
        public static let schemaTooNew = Code(rawValue: 10_001)
        /// An applied migration's text differs from the binary's copy (migrations must never change once landed).
        public static let migrationChanged = Code(rawValue: 10_002)
        /// The migration list itself is malformed (versions not 1, 2, 3, … in order).
        public static let invalidMigrations = Code(rawValue: 10_003)

        public var description: String {
            switch self {
            case .schemaTooNew: return "schema too new"
            case .migrationChanged: return "migration changed"
            case .invalidMigrations: return "invalid migrations"
            default: return String(cString: sqlite3_errstr(rawValue))
            }
        }
    }

    /// The primary result code (extended codes are reduced to their primary code).
    public var code: Code
    /// SQLite's message, or the migrator's explanation.
    public var message: String
    /// The statement that failed, when there was one.
    public var sql: String?

    public init(code: Code, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// Reads the error state of `handle` after a call returned `resultCode`.
    init(resultCode: Int32, handle: OpaquePointer?, sql: String? = nil) {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(resultCode))
        self.init(code: Code(rawValue: resultCode & 0xFF), message: message, sql: sql)
    }

    public var description: String {
        var text = "SQLite error \(code.rawValue) (\(code)): \(message)"
        if let sql { text += " — in: \(sql.prefix(200))" }
        return text
    }
}
