public import Foundation
import VecdIndex
import VecdKernels
import VecdSQLite

/// A consistent, read-only view of a store's data directory for exporting it: every table of ``ExportTable/all``
/// row by row, and the change log (migration 2) that makes incremental exports possible.
///
/// It opens only `vecd.sqlite`, never the vector indexes, so exporting a large store costs no index build, and a
/// running server may keep writing meanwhile: the reader holds one SQLite read transaction (a WAL snapshot), so
/// rows, vectors and ``lastChangeSequence`` all describe the same moment. Vectors are read from the `vectors`
/// table, bit-exact. Not thread-safe: one reader per task.
public final class StoreExportReader {
    /// The data directory.
    public let directory: URL
    /// This store's identity (random, made by migration 2): a target written by another store is never updated
    /// incrementally.
    public let sourceID: String
    /// The newest change-log entry in the snapshot; an export that sends the snapshot is current up to it.
    public let lastChangeSequence: Int64
    private let connection: Connection

    /// Opens the store in `directory` (applying pending migrations) and pins a snapshot; `notFound` when the
    /// directory holds no store.
    public init(directory: URL) throws(VecdError) {
        self.directory = directory
        let path = directory.appendingPathComponent(VecdStore.databaseFileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw VecdError(.notFound, "no vecd store in \(directory.path): \(VecdStore.databaseFileName) is missing")
        }
        do {
            connection = try Connection(path: path)
            try Migrator(migrations: Migration.vecdSchema).migrate(connection)
            // A deferred BEGIN takes its WAL snapshot at the first read, which the next statement is.
            try connection.execute("BEGIN")
            sourceID = try connection.queryFirst("SELECT id FROM export_source") { $0.string(0) } ?? ""
            lastChangeSequence =
                try connection.queryFirst("SELECT coalesce(max(seq), 0) FROM export_changes") { $0.int64(0) } ?? 0
        } catch {
            throw VecdError.wrap(error)
        }
    }

    deinit {
        try? connection.execute("ROLLBACK")
    }

    /// The collections whose vectors `table` holds (empty for a table without vectors), by name.
    public func collections(of table: ExportTable) throws(VecdError) -> [CollectionInfo] {
        guard let condition = table.vectorCollectionsSQL else { return [] }
        do {
            return try connection.query(
                "SELECT c.name, c.dimension, c.metric, c.model_id, c.storage_mode FROM collections c "
                    + "WHERE \(condition) ORDER BY c.name"
            ) { row in
                CollectionInfo(
                    name: row.string(0), dimension: row.int(1), metric: .init(rawValue: row.string(2)) ?? .cosine,
                    modelID: row.string(3), storage: .init(rawValue: row.string(4)) ?? .float32)
            }
        } catch { throw VecdError.wrap(error) }
    }

    /// The number of rows of `table` in the snapshot.
    public func rowCount(of table: ExportTable) throws(VecdError) -> Int {
        do {
            let sql = "SELECT count(*) FROM (\(table.selectSQL.replacingOccurrences(of: "{where}", with: "1")))"
            return try connection.scalarInt(sql) ?? 0
        } catch { throw VecdError.wrap(error) }
    }

    /// Calls `body` with every row of `table` (values in column order), or only the rows whose keys are in `keys`
    /// (JSON arrays as ``changes(after:)`` returns them; keys without a row are skipped).
    public func forEachRow(
        of table: ExportTable, keys: [String]? = nil, _ body: ([ExportValue]) throws -> Void
    ) throws {
        let condition = keys == nil ? "1" : "\(table.keySQL) IN (SELECT value FROM json_each(?))"
        let statement: Statement
        do {
            statement = try connection.prepare(table.selectSQL.replacingOccurrences(of: "{where}", with: condition))
            if let keys { try statement.bind("[" + keys.joined(separator: ",") + "]", at: 1) }
        } catch { throw VecdError.wrap(error) }
        var values: [ExportValue] = []
        values.reserveCapacity(table.columns.count)
        while try statement.step() {
            values.removeAll(keepingCapacity: true)
            for (index, column) in table.columns.enumerated() {
                values.append(try Self.value(statement, index, column, table: table))
            }
            try body(values)
        }
    }

    /// The keys changed after change `sequence` (up to ``lastChangeSequence``), by store table name, each key once,
    /// as JSON arrays of the key columns.
    public func changes(after sequence: Int64) throws(VecdError) -> [String: [String]] {
        do {
            let rows = try connection.query(
                "SELECT table_name, row_key FROM export_changes WHERE seq > ? AND seq <= ? "
                    + "GROUP BY table_name, row_key ORDER BY min(seq)", [sequence, lastChangeSequence]
            ) { (table: $0.string(0), key: $0.string(1)) }
            return Dictionary(grouping: rows, by: \.table).mapValues { $0.map(\.key) }
        } catch { throw VecdError.wrap(error) }
    }

    /// The oldest change still in the log (0 when it is empty): an incremental export from before it is impossible.
    public func oldestChangeSequence() throws(VecdError) -> Int64 {
        do {
            return try connection.queryFirst("SELECT coalesce(min(seq), 0) FROM export_changes") { $0.int64(0) } ?? 0
        } catch { throw VecdError.wrap(error) }
    }

    /// Splits a key from ``changes(after:)`` into its column values as text (numbers in decimal).
    public static func keyComponents(_ key: String) -> [String]? {
        guard case .array(let values) = JSONValue(jsonText: key) else { return nil }
        return values.map { value in
            switch value {
            case .string(let text): return text
            case .number(let number): return String(Int64(number))
            default: return value.jsonText
            }
        }
    }

    private static func value(
        _ row: Statement, _ index: Int, _ column: ExportColumn, table: ExportTable
    ) throws(VecdError) -> ExportValue {
        if row.isNull(index) { return .null }
        switch column.kind {
        case .text: return .text(row.string(index))
        case .integer: return .integer(row.int64(index))
        case .real: return .real(row.double(index))
        case .boolean: return .boolean(row.int64(index) != 0)
        case .json: return .json(row.string(index))
        case .timestamp: return .timestamp(row.int64(index))
        case .vector:
            var vector: [Float] = []
            guard row.withBlob(index, { VectorBlob.decode($0, into: &vector) }) else {
                throw VecdError(.storage, "\(table.name).\(column.name): a stored vector is not a whole number of floats")
            }
            return .vector(vector)
        }
    }
}
