import Vecd
import VecdKernels

/// How a store's tables look in PostgreSQL: one seed-shaped table per ``ExportTable``, in one schema, with the
/// vector column typed `vector(n)` when every collection feeding it has dimension n (then it gets an HNSW index),
/// or plain `vector` without an index when the dimensions differ.
struct PostgresExportLayout: Equatable {
    struct Table: Equatable {
        let table: ExportTable
        /// The single dimension of the vector column; nil without vectors or when the collections differ.
        let dimension: Int?
        /// The metric of the first collection feeding the vector column (decides the index's operator class).
        let metric: DistanceMetric
    }

    let schema: String
    let tables: [Table]

    /// The table that remembers, per source store, the last change an export sent.
    static let stateTableName = "vecd_export_state"

    /// Plans the layout of `reader`'s store in `schema` (a plain lower-case identifier).
    static func plan(_ reader: StoreExportReader, schema: String) throws -> PostgresExportLayout {
        try checkIdentifier(schema)
        let tables = try ExportTable.all.map { table -> Table in
            let collections = try reader.collections(of: table)
            let dimensions = Set(collections.map(\.dimension))
            return Table(
                table: table, dimension: dimensions.count == 1 ? dimensions.first : nil,
                metric: collections.first?.metric ?? .cosine)
        }
        return PostgresExportLayout(schema: schema, tables: tables)
    }

    /// Identifiers are used unquoted-safe: `[a-z_][a-z0-9_]{0,62}`; anything else is refused, never escaped.
    static func checkIdentifier(_ name: String) throws {
        let valid =
            (1...63).contains(name.utf8.count)
            && name.utf8.enumerated().allSatisfy { index, byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
                    || (index > 0 && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            }
        guard valid else {
            throw PostgresTransferError(
                .invalidArgument, "a schema or table name must match [a-z_][a-z0-9_]* (≤ 63 bytes), got \"\(name)\"")
        }
    }

    /// `schema.name`, quoted.
    func qualified(_ name: String) -> String { "\"\(schema)\".\"\(name)\"" }

    /// A compact description of the tables (names, columns, keys, vector types): an incremental export needs the
    /// target to have this layout, so a target written with other columns or keys gets a full export.
    var fingerprint: String {
        tables.map { planned in
            let table = planned.table
            let keys = table.keyColumns.map(\.name).joined(separator: " ")
            let columns = table.columns.map(\.name).joined(separator: " ")
            return "\(table.targetName)(\(columns); key \(keys)):\(planned.dimension.map(String.init) ?? "-"):"
                + planned.metric.rawValue
        }
        .joined(separator: ",")
    }

    static func postgresType(_ kind: ExportColumnKind, dimension: Int?) -> String {
        switch kind {
        case .text: return "text"
        case .integer: return "bigint"
        case .real: return "double precision"
        case .boolean: return "boolean"
        case .json: return "jsonb"
        case .timestamp: return "timestamptz"
        case .vector: return dimension.map { "vector(\($0))" } ?? "vector"
        }
    }

    /// `CREATE TABLE` of one table, with its key as primary key.
    func createStatement(_ planned: Table) -> String {
        let columns = planned.table.columns.map { column in
            "\"\(column.name)\" \(Self.postgresType(column.kind, dimension: planned.dimension))"
                + (column.isNullable ? "" : " NOT NULL")
        }
        let key = planned.table.keyColumns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        return "CREATE TABLE \(qualified(planned.table.targetName)) (\(columns.joined(separator: ", ")), "
            + "PRIMARY KEY (\(key)))"
    }

    /// `CREATE INDEX … USING hnsw` for a table whose vector column has one dimension; nil otherwise.
    func indexStatement(_ planned: Table, settings: PgvectorIndexSettings) -> String? {
        guard let column = planned.table.vectorColumn, planned.dimension != nil else { return nil }
        let operatorClass: String
        switch planned.metric {
        case .cosine: operatorClass = "vector_cosine_ops"
        case .dot: operatorClass = "vector_ip_ops"
        case .l2: operatorClass = "vector_l2_ops"
        }
        return "CREATE INDEX \"\(planned.table.targetName)_\(column.name)_hnsw\" ON \(qualified(planned.table.targetName)) "
            + "USING hnsw (\"\(column.name)\" \(operatorClass)) "
            + "WITH (m = \(settings.m), ef_construction = \(settings.efConstruction))"
    }

    /// `CREATE TABLE IF NOT EXISTS` of the state table.
    var createStateStatement: String {
        "CREATE TABLE IF NOT EXISTS \(qualified(Self.stateTableName)) (source_id text PRIMARY KEY, "
            + "last_change bigint NOT NULL, layout text NOT NULL, exported_at timestamptz NOT NULL DEFAULT now())"
    }

    /// The column list of a table for COPY.
    static func columnList(_ table: ExportTable) -> String {
        table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
    }
}
