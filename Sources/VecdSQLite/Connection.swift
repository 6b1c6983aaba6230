internal import CSQLite

/// One SQLite connection, opened with vecd's settings: WAL journal mode (file databases), a busy timeout, and
/// foreign keys enforced.
///
/// A connection is not thread-safe: its owner serializes every call (the store keeps it behind a mutex). It is
/// opened with `SQLITE_OPEN_NOMUTEX` for that reason, so SQLite does not lock a second time.
public final class Connection {
    let handle: OpaquePointer
    /// The database file, or `":memory:"`.
    public let path: String
    private var cache: [String: Statement] = [:]
    /// `inTransaction` calls open on this connection (the outermost one holds the real transaction).
    var transactionDepth = 0
    /// The error after which SQLite rolled the open transaction back by itself (SQLITE_FULL, SQLITE_IOERR, ...):
    /// until the outermost `inTransaction` ends, every statement throws it again (see ``checkTransactionIntact()``).
    var lostTransactionError: SQLiteError?

    /// How long a statement waits for another connection's lock before failing with ``SQLiteError/Code-swift.struct/busy``.
    public static let defaultBusyTimeoutMilliseconds = 5_000

    /// Whether commits wait for the disk.
    public enum Durability: Sendable {
        /// `synchronous = NORMAL` in WAL mode: a commit survives a process crash (the case vecd's kill -9 tests
        /// cover) and loses at most the last transactions on power loss.
        case durable
        /// `synchronous = OFF`: no fsync at all. For databases thrown away with their process (temporary stores,
        /// `vecd serve --ephemeral`), where six fsyncs on open were a third of the start-up time.
        case throwaway
    }

    /// The page size of a database file this connection creates.
    public static let newFilePageByteCount = 8_192

    /// Opens (creating if needed) the database at `path`; `":memory:"` opens a private in-memory database.
    ///
    /// `readOnly` opens an existing database for reading only (no create, no journal-mode or sync change): a reader
    /// beside the writer connection of a WAL database, which sees the last committed transaction and never blocks it.
    public init(
        path: String, durability: Durability = .durable, busyTimeoutMilliseconds: Int = defaultBusyTimeoutMilliseconds,
        readOnly: Bool = false
    ) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let error = SQLiteError(resultCode: result, handle: handle, sql: nil)
            sqlite3_close_v2(handle)
            throw SQLiteError(code: error.code, message: "cannot open \(path): \(error.message)")
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeoutMilliseconds))
        try execute("PRAGMA foreign_keys = ON")
        if path != ":memory:" && !readOnly {
            // The sync level first: switching a new file to WAL syncs it unless syncing is already off.
            try execute(durability == .durable ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = OFF")
            // A new file gets 8 KiB pages (an existing one keeps its own: SQLite ignores this once the file has
            // content). In SQLite's default 4 KiB a 512-dimension vector row (2 KiB) filled a page alone: a store
            // file of 20,000 chunks took 104 MiB at 512 dimensions, 80 MiB in 8 KiB pages and 70 MiB in 16 KiB
            // (384 dimensions: 63, 58, 56). 16 KiB pages made a one-row write transaction 4× slower (0.04 → 0.17
            // ms, a cache hit's counter update), 8 KiB 1.25× (0.05 ms).
            try execute("PRAGMA page_size = \(Self.newFilePageByteCount)")
            // WAL lets readers run beside the writer.
            try execute("PRAGMA journal_mode = WAL")
        }
        // SQLite reads a corrupt or foreign file lazily; touch the schema now so such a file fails at open.
        try execute("SELECT count(*) FROM sqlite_master")
    }

    /// Opens a private in-memory database (gone when the connection closes).
    public static func inMemory() throws(SQLiteError) -> Connection {
        try Connection(path: ":memory:")
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements separated by semicolons, with no parameters and no results.
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &message)
        guard result == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_free(message)
            let error = SQLiteError(code: SQLiteError.Code(rawValue: result & 0xFF), message: text, sql: sql)
            noteFailure(error)
            throw error
        }
    }

    /// Records `error` as the end of the open transaction when SQLite rolled it back by itself after it: a full disk
    /// or an I/O error may do that, and the statements that follow would otherwise run outside any transaction,
    /// each committing on its own (half a write stored, the rest refused).
    func noteFailure(_ error: SQLiteError) {
        if transactionDepth > 0, lostTransactionError == nil, !isInTransaction { lostTransactionError = error }
    }

    /// Throws the error that ended the transaction when SQLite rolled it back underneath an open `inTransaction`.
    func checkTransactionIntact() throws(SQLiteError) {
        guard transactionDepth > 0 else { return }
        if let lostTransactionError { throw lostTransactionError }
        guard isInTransaction else {
            let error = SQLiteError(
                code: .error, message: "the transaction was rolled back after an earlier error; nothing was stored")
            lostTransactionError = error
            throw error
        }
    }

    /// Prepares a new statement.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(connection: self, sql: sql, persistent: false)
    }

    /// A prepared statement kept for reuse and keyed by its text, reset and with bindings cleared.
    public func cachedStatement(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = cache[sql] {
            statement.reset()
            return statement
        }
        let statement = try Statement(connection: self, sql: sql, persistent: true)
        cache[sql] = statement
        return statement
    }

    /// Runs `sql` once with `values` bound in order, ignoring any rows.
    public func run(_ sql: String, _ values: [any SQLiteBindable] = []) throws(SQLiteError) {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        try statement.run()
    }

    /// Runs `sql` with `values` bound in order and maps each row with `row`.
    public func query<T>(
        _ sql: String, _ values: [any SQLiteBindable] = [], row: (Statement) throws -> T
    ) throws -> [T] {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        var rows: [T] = []
        while try statement.step() { rows.append(try row(statement)) }
        return rows
    }

    /// The first row of `sql` mapped with `row`, or nil when there is none.
    public func queryFirst<T>(
        _ sql: String, _ values: [any SQLiteBindable] = [], row: (Statement) throws -> T
    ) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        return try statement.step() ? try row(statement) : nil
    }

    /// The integer in the first column of the first row, or nil when there is no row or it is NULL.
    public func scalarInt(_ sql: String, _ values: [any SQLiteBindable] = []) throws(SQLiteError) -> Int? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(values)
        guard try statement.step(), !statement.isNull(0) else { return nil }
        return statement.int(0)
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changeCount: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The SQLite library version, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
