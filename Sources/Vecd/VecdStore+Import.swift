import Foundation
import VecdIndex
import VecdSQLite

extension VecdStore {
    /// Stores `rows` of `table` exactly as given — ids, timestamps, metadata text and vectors included — in one
    /// transaction: the reverse of ``StoreExportReader``, used by `vecd import postgres`. Values are in the order
    /// of `table.columns`.
    ///
    /// - Documents name their collection, which must exist (``createCollection(_:)``).
    /// - A chunk's vector goes to its document's collection; a memory's to `_memories`; a cache entry's to
    ///   `_cache:<model_id>` (both created on first use). Each vector is checked (dimension, finite) first.
    /// - A NULL `id` of an integer key (chunks, cache entries) lets the store number the row.
    ///
    /// Nothing is stored when any row is refused: a duplicate key or failed CHECK is a `conflict`, a missing document
    /// or collection `notFound`, a wrong vector `dimensionMismatch` or `invalidVector`.
    @discardableResult
    public func importRows(_ rows: [[ExportValue]], into table: ExportTable) throws(VecdError) -> Int {
        guard !rows.isEmpty else { return 0 }
        for (position, row) in rows.enumerated() where row.count != table.columns.count {
            throw VecdError(
                .invalidArgument,
                "import \(table.name): row \(position) has \(row.count) values, expected \(table.columns.count)")
        }
        let sql = Self.importSQL(for: table)
        return try write { state, changes in
            for (position, row) in rows.enumerated() {
                var values: [any SQLiteBindable] = []
                values.reserveCapacity(row.count)
                for (column, value) in zip(table.columns, row) {
                    if column.kind == .vector {
                        values.append(
                            try self.importVector(value, of: row, table: table, position: position, state, changes))
                    } else if column.name == "collection", case .text(let name) = value {
                        values.append(try state.collection(name).id)
                    } else {
                        values.append(Self.sqliteValue(value))
                    }
                }
                do { try state.connection.run(sql, values) } catch {
                    let wrapped = VecdError.wrap(error)
                    throw VecdError(wrapped.code, "import \(table.name), row \(position): \(wrapped.message)")
                }
            }
            return rows.count
        }
    }

    /// `INSERT` of a table's columns: `collection` becomes `collection_id` and a vector column `vector_id`.
    static func importSQL(for table: ExportTable) -> String {
        let names = table.columns.map { column -> String in
            if column.name == "collection" { return "collection_id" }
            return column.kind == .vector ? "vector_id" : column.name
        }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        return "INSERT INTO \(table.name) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
    }

    /// Stores the vector of one imported row and returns its `vectors` row id (NULL when the row has none).
    private func importVector(
        _ value: ExportValue, of row: [ExportValue], table: ExportTable, position: Int, _ state: StoreState,
        _ changes: VectorChanges
    ) throws -> SQLiteValue {
        guard case .vector(let vector) = value else { return .null }
        let what = "import \(table.name), row \(position)"
        let collection: VectorCollection
        switch table.name {
        case ExportTable.chunks.name:
            let tenant = table.columns.firstIndex { $0.name == "tenant_id" }.map { row[$0] }
            let document = table.columns.firstIndex { $0.name == "document_id" }.map { row[$0] }
            guard case .text(let tenantID) = tenant, case .text(let documentID) = document,
                let name = try state.connection.queryFirst(
                    "SELECT c.name FROM documents d JOIN collections c ON c.id = d.collection_id "
                        + "WHERE d.tenant_id = ? AND d.id = ?", [tenantID, documentID], row: { $0.string(0) })
            else {
                throw VecdError(
                    .notFound, "\(what): the chunk's document \(document ?? .null) of tenant \(tenant ?? .null) does not exist")
            }
            collection = try state.collection(name)
        case ExportTable.memories.name:
            collection = try ownCollection(
                Self.memoryCollection, dimension: vector.count, modelID: "", state: state, changes: changes)
        case ExportTable.responseCache.name:
            guard case .text(let model) = row[2] else { throw VecdError(.invalidArgument, "\(what): no model_id") }
            collection = try ownCollection(
                Self.cacheCollectionName(model: model), dimension: vector.count, modelID: model, state: state,
                changes: changes)
        default:
            throw VecdError(.invalidArgument, "\(what): the table holds no vectors")
        }
        try checkVector(vector, dimension: collection.info.dimension, what: what)
        return .integer(try changes.insert(vector, into: collection, connection: state.connection))
    }

    static func sqliteValue(_ value: ExportValue) -> SQLiteValue {
        switch value {
        case .null, .vector: return .null
        case .text(let text), .json(let text): return .text(text)
        case .integer(let number), .timestamp(let number): return .integer(number)
        case .real(let number): return .double(number)
        case .boolean(let flag): return .integer(flag ? 1 : 0)
        }
    }
}
