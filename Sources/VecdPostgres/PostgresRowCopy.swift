import Vecd

/// Streams rows of one table from the store's snapshot into PostgreSQL with binary COPY (exact floats and
/// timestamps, no text parsing on the server: the fast path for vectors).
enum PostgresRowCopy {
    /// Copies every row of `table` (or only those of `keys`) and returns how many were stored.
    static func copy(
        _ table: ExportTable, keys: [String]?, reader: StoreExportReader, layout: PostgresExportLayout,
        _ connection: PostgresConnection
    ) throws -> Int {
        let sql =
            "COPY \(layout.qualified(table.targetName)) (\(PostgresExportLayout.columnList(table))) "
            + "FROM STDIN (FORMAT binary)"
        return try connection.copyBinary(sql) { writer in
            try reader.forEachRow(of: table, keys: keys) { values in
                do { try writer.appendRow(values) } catch var error as PostgresError {
                    error.message = "\(table.name) row \(values.first.map { "\($0)" } ?? ""): \(error.message)"
                    throw error
                }
            }
        }
    }
}
