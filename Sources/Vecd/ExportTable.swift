/// The kind of value an exported column holds; an export target maps each to its own type
/// (PostgreSQL: `text`, `bigint`, `double precision`, `boolean`, `jsonb`, `timestamptz`, `vector(n)`).
public enum ExportColumnKind: Sendable, Equatable {
    case text
    case integer
    case real
    case boolean
    /// JSON text (objects, arrays or scalars).
    case json
    /// Unix milliseconds, UTC.
    case timestamp
    /// Float32 components, bit-exact as stored.
    case vector
}

/// One column of an exported table.
public struct ExportColumn: Sendable, Equatable {
    public var name: String
    public var kind: ExportColumnKind
    public var isNullable: Bool

    init(_ name: String, _ kind: ExportColumnKind, nullable: Bool = false) {
        self.name = name
        self.kind = kind
        self.isNullable = nullable
    }
}

/// One value of an exported row, in column order.
public enum ExportValue: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case json(String)
    /// Unix milliseconds, UTC.
    case timestamp(Int64)
    case vector([Float])
}

/// A table of the store as an export shapes it: seed-shaped target name, typed columns, the key, and where its
/// vectors come from. ``all`` lists every exported table in load order (documents before their chunks).
public struct ExportTable: Sendable, Equatable {
    /// The store's name for the table, as the change log records it (`documents`, `chunks`, `memories`, …).
    public var name: String
    /// The seed-shaped table name in the target (`documents`, `document_chunks`, `ai_memories`, …).
    public var targetName: String
    public var columns: [ExportColumn]
    /// The first `keyColumnCount` columns identify a row.
    public var keyColumnCount: Int
    /// SELECT of the columns in order; `{where}` is replaced by a condition (or `1`).
    let selectSQL: String
    /// The SQL expression of the row's key as the change log writes it (a JSON array).
    let keySQL: String
    /// A condition on `collections` (alias `c`) selecting the collections whose vectors this table holds; nil when
    /// it holds none.
    let vectorCollectionsSQL: String?

    /// The key columns.
    public var keyColumns: ArraySlice<ExportColumn> { columns.prefix(keyColumnCount) }
    /// The vector column, when the table has one.
    public var vectorColumn: ExportColumn? { columns.first { $0.kind == .vector } }
}
