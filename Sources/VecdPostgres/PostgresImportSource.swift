import Vecd

/// A PostgreSQL table being imported: its qualified name and its columns with their types, read from the catalog so
/// that seed tables with fewer (or differently typed) columns than vecd's map all the same.
struct PostgresImportSource {
    let schema: String
    let name: String
    /// Column name → type name as `pg_type.typname` spells it (`text`, `uuid`, `int8`, `vector`, `jsonb`, `_text`).
    let columns: [String: String]

    var qualified: String { "\"\(schema)\".\"\(name)\"" }

    /// The table's columns, or nil when it does not exist.
    static func load(_ connection: PostgresConnection, schema: String, name: String) throws -> PostgresImportSource? {
        let result = try connection.query(
            "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                + "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped",
            [.text(schema), .text(name)])
        guard result.rowCount > 0 else { return nil }
        var columns: [String: String] = [:]
        for row in 0..<result.rowCount {
            if let column = try result.string(row: row, column: 0), let type = try result.string(row: row, column: 1) {
                columns[column] = type
            }
        }
        return PostgresImportSource(schema: schema, name: name, columns: columns)
    }

    func has(_ column: String) -> Bool { columns[column] != nil }

    /// `"column"` quoted, or nil when the table lacks it.
    func column(_ name: String) -> String? { has(name) ? "\"\(name)\"" : nil }

    /// Whether `column` holds integers (so it can keep its value as an integer key).
    func isInteger(_ column: String) -> Bool { ["int2", "int4", "int8"].contains(columns[column] ?? "") }

    /// Refuses a table that lacks a column the import needs.
    func require(_ names: [String]) throws {
        for name in names where !has(name) {
            throw PostgresTransferError(
                .sourceMissing,
                "\(schema).\(self.name) has no column \(name); it has \(columns.keys.sorted().joined(separator: ", "))")
        }
    }

    /// The SQL reading `column` as an export value of `kind` (text forms, Unix milliseconds, the raw vector).
    static func cast(_ column: String, to kind: ExportColumnKind) -> String {
        switch kind {
        case .text: return "\(column)::text"
        case .integer: return "\(column)::bigint"
        case .real: return "\(column)::double precision"
        case .boolean: return "\(column)::boolean"
        case .json: return "to_jsonb(\(column))::text"
        case .timestamp: return "round(extract(epoch FROM \(column)) * 1000)::bigint"
        case .vector: return column
        }
    }
}
