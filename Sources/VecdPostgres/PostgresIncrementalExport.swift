import Vecd

/// An incremental export, inside the caller's transaction: for every key the store's change log holds after the
/// last export, delete the target's row and re-send the store's current row (if it still exists). One path covers
/// inserts, updates and deletes; the HNSW indexes take the new rows as ordinary inserts.
struct PostgresIncrementalExport {
    let reader: StoreExportReader
    let layout: PostgresExportLayout
    let connection: PostgresConnection
    let progress: (String) -> Void

    func run(after sequence: Int64) throws -> PostgresExportReport {
        let changes = try reader.changes(after: sequence)
        var tables: [PostgresExportReport.Table] = []
        for planned in layout.tables {
            let keys = changes[planned.table.name] ?? []
            var sent = 0
            if !keys.isEmpty {
                try delete(keys, from: planned.table)
                sent = try PostgresRowCopy.copy(planned.table, keys: keys, reader: reader, layout: layout, connection)
                progress("update \(planned.table.targetName): \(keys.count) changed keys, \(sent) rows sent")
            }
            tables.append(.init(name: planned.table.targetName, sentRows: sent, deletedKeys: keys.count, rowCount: 0))
        }
        if changes.isEmpty { progress("nothing changed since the last export") }
        return PostgresExportReport(
            mode: .incremental, tables: tables, lastChangeSequence: reader.lastChangeSequence, seconds: 0)
    }

    /// `DELETE … USING unnest($1::text[], …)`: one statement per table, key columns passed as text arrays and cast
    /// to their column types.
    private func delete(_ keys: [String], from table: ExportTable) throws {
        let keyColumns = Array(table.keyColumns)
        var columns = Array(repeating: [String?](), count: keyColumns.count)
        for key in keys {
            guard let parts = StoreExportReader.keyComponents(key), parts.count == keyColumns.count else {
                throw PostgresTransferError(.invalidArgument, "\(table.name): change-log key \(key) is malformed")
            }
            for (index, part) in parts.enumerated() { columns[index].append(part) }
        }
        let aliases = keyColumns.indices.map { "k\($0)" }
        let arrays = keyColumns.indices.map { "$\($0 + 1)::text[]" }.joined(separator: ", ")
        let matches = zip(keyColumns, aliases).map { column, alias in
            let cast = PostgresExportLayout.postgresType(column.kind, dimension: nil)
            return "t.\"\(column.name)\" = keys.\(alias)::\(cast)"
        }.joined(separator: " AND ")
        try connection.query(
            "DELETE FROM \(layout.qualified(table.targetName)) t USING unnest(\(arrays)) "
                + "AS keys(\(aliases.joined(separator: ", "))) WHERE \(matches)",
            columns.map { .textArray($0) })
    }
}
