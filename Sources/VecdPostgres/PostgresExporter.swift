public import Foundation
import Vecd

/// What `vecd export postgres` is told.
public struct PostgresExportOptions: Sendable {
    /// libpq URL of the target database (pgvector must be installed there).
    public var url: String
    /// The schema holding the exported tables (created when missing).
    public var schema = "public"
    /// HNSW settings of the vector indexes (pgvector's defaults: m = 16, ef_construction = 64).
    public var index = PgvectorIndexSettings()
    /// Re-send everything even when the target could be updated incrementally.
    public var full = false
    /// Allow dropping tables of the export's names that this store did not write.
    public var replace = false

    public init(url: String) { self.url = url }
}

/// What an export did.
public struct PostgresExportReport: Sendable, Equatable {
    public enum Mode: String, Sendable { case full, incremental }

    /// One target table.
    public struct Table: Sendable, Equatable {
        public var name: String
        /// Rows sent (all of them in a full export; inserted or updated ones in an incremental one).
        public var sentRows: Int
        /// Keys whose rows were deleted before re-sending (incremental exports).
        public var deletedKeys: Int
        /// Rows the table holds afterwards (checked equal to the store's).
        public var rowCount: Int
        /// Seconds `CREATE INDEX … USING hnsw` took (full exports of tables with a vector index).
        public var indexSeconds: Double?
    }

    public var mode: Mode
    public var tables: [Table]
    /// The store's change-log position the target is now current with.
    public var lastChangeSequence: Int64
    public var seconds: Double
}

/// Exports a store's data directory to PostgreSQL + pgvector: seed-shaped tables, binary COPY, HNSW indexes, and
/// incremental updates (only what changed since the last export, deletes included).
///
/// Every export runs in one PostgreSQL transaction together with its bookkeeping row in `vecd_export_state`
/// (source store, last change sent, layout): a failed or interrupted export leaves the target as it was, and the
/// next one starts from what the target really holds.
public enum PostgresExporter {
    /// Exports the store in `directory`; `progress` receives one line per step.
    public static func export(
        directory: URL, options: PostgresExportOptions, progress: (String) -> Void = { _ in }
    ) throws -> PostgresExportReport {
        // The steps keep `progress` only while this call runs.
        try withoutActuallyEscaping(progress) { progress in
            try run(directory: directory, options: options, progress: progress)
        }
    }

    private static func run(
        directory: URL, options: PostgresExportOptions, progress: @escaping (String) -> Void
    ) throws -> PostgresExportReport {
        let start = ContinuousClock.now
        let reader = try StoreExportReader(directory: directory)
        let layout = try PostgresExportLayout.plan(reader, schema: options.schema)
        let connection = try PostgresConnection(url: options.url)
        defer { connection.close() }
        try connection.exec(
            "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector; "
                + "CREATE SCHEMA IF NOT EXISTS \"\(layout.schema)\"")
        try connection.exec(layout.createStateStatement)
        var report = try connection.transaction { () throws -> PostgresExportReport in
            let state = try connection.query(
                "SELECT last_change, layout FROM \(layout.qualified(PostgresExportLayout.stateTableName)) "
                    + "WHERE source_id = $1 FOR UPDATE", [.text(reader.sourceID)])
            let recordedLayout = state.rowCount == 1 ? try state.string(row: 0, column: 1) : nil
            let incremental = !options.full && recordedLayout == layout.fingerprint
            var report: PostgresExportReport
            if incremental, let last = try state.int64(row: 0, column: 0) {
                progress("incremental export: changes \(last + 1)…\(reader.lastChangeSequence)")
                report = try PostgresIncrementalExport(
                    reader: reader, layout: layout, connection: connection, progress: progress
                ).run(after: last)
            } else {
                progress(state.rowCount == 1 ? "full export (layout changed or --full)" : "full export")
                report = try PostgresFullExport(
                    reader: reader, layout: layout, connection: connection, options: options, progress: progress
                ).run()
            }
            try connection.query(
                "INSERT INTO \(layout.qualified(PostgresExportLayout.stateTableName)) (source_id, last_change, layout) "
                    + "VALUES ($1, $2, $3) ON CONFLICT (source_id) DO UPDATE SET last_change = excluded.last_change, "
                    + "layout = excluded.layout, exported_at = now()",
                [.text(reader.sourceID), .int64(reader.lastChangeSequence), .text(layout.fingerprint)])
            try checkCounts(&report, reader: reader, layout: layout, connection: connection)
            return report
        }
        report.seconds = (ContinuousClock.now - start).seconds
        let rows = report.tables.map { "\($0.name) \($0.rowCount)" }.joined(separator: ", ")
        progress("counts match: \(rows)")
        return report
    }

    /// Compares every target table's row count with the store's snapshot (inside the export's transaction, so a
    /// mismatch rolls the whole export back).
    static func checkCounts(
        _ report: inout PostgresExportReport, reader: StoreExportReader, layout: PostgresExportLayout,
        connection: PostgresConnection
    ) throws {
        for (position, planned) in layout.tables.enumerated() {
            let result = try connection.query("SELECT count(*) FROM \(layout.qualified(planned.table.targetName))")
            let target = try result.int(row: 0, column: 0) ?? -1
            let source = try reader.rowCount(of: planned.table)
            guard target == source else {
                throw PostgresTransferError(
                    .countMismatch,
                    "\(layout.qualified(planned.table.targetName)) holds \(target) rows after the export, "
                        + "the store's \(planned.table.name) \(source)")
            }
            report.tables[position].rowCount = target
        }
    }
}
