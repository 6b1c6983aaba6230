import Foundation
import Vecd

/// A full export, inside the caller's transaction: drop and recreate every table, load each with one binary COPY,
/// then build the HNSW indexes (after loading: one bulk build is far faster than inserting into a live graph).
struct PostgresFullExport {
    let reader: StoreExportReader
    let layout: PostgresExportLayout
    let connection: PostgresConnection
    let options: PostgresExportOptions
    let progress: (String) -> Void

    func run() throws -> PostgresExportReport {
        try refuseForeignTables()
        var tables: [PostgresExportReport.Table] = []
        for planned in layout.tables {
            try connection.exec("DROP TABLE IF EXISTS \(layout.qualified(planned.table.targetName)) CASCADE")
            try connection.exec(layout.createStatement(planned))
            let start = ContinuousClock.now
            let sent = try PostgresRowCopy.copy(planned.table, keys: nil, reader: reader, layout: layout, connection)
            progress(
                "copy \(planned.table.targetName): \(sent) rows in "
                    + String(format: "%.2f s", (ContinuousClock.now - start).seconds))
            tables.append(.init(name: planned.table.targetName, sentRows: sent, deletedKeys: 0, rowCount: 0))
        }
        try connection.exec(
            "SET LOCAL maintenance_work_mem = '\(options.index.maintenanceWorkMemory)'; "
                + "SET LOCAL max_parallel_maintenance_workers = \(options.index.parallelWorkers)")
        for (position, planned) in layout.tables.enumerated() {
            if planned.table.vectorColumn != nil, planned.dimension == nil, tables[position].sentRows > 0 {
                progress("no HNSW index on \(planned.table.targetName): its collections have different dimensions")
            }
            guard let statement = layout.indexStatement(planned, settings: options.index) else { continue }
            let start = ContinuousClock.now
            try connection.exec(statement)
            let seconds = (ContinuousClock.now - start).seconds
            tables[position].indexSeconds = seconds
            progress(
                "index \(planned.table.targetName) (hnsw, m = \(options.index.m), ef_construction = "
                    + "\(options.index.efConstruction)): " + String(format: "%.2f s", seconds))
        }
        return PostgresExportReport(
            mode: .full, tables: tables, lastChangeSequence: reader.lastChangeSequence, seconds: 0)
    }

    /// Refuses to drop tables of the export's names unless this store wrote them before (its row is in the state
    /// table) or `--replace` was given: a seed database may hold a `documents` table of its own.
    private func refuseForeignTables() throws {
        guard !options.replace else { return }
        let owned = try connection.query(
            "SELECT 1 FROM \(layout.qualified(PostgresExportLayout.stateTableName)) WHERE source_id = $1",
            [.text(reader.sourceID)]
        ).rowCount == 1
        guard !owned else { return }
        let names = layout.tables.map { $0.table.targetName }
        let existing = try connection.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2) "
                + "ORDER BY table_name", [.text(layout.schema), .textArray(names)])
        guard existing.rowCount == 0 else {
            let found = try (0..<existing.rowCount).compactMap { try existing.string(row: $0, column: 0) }
            throw PostgresTransferError(
                .targetNotEmpty,
                "schema \(layout.schema) already has \(found.joined(separator: ", ")), not written by this store; "
                    + "export to another --schema, or pass --replace to drop them")
        }
    }
}
