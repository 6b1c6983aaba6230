import Foundation
import Vecd
import VecdKernels

/// The work of one import on one connection: creating the document collections, then streaming each planned
/// SELECT through a cursor into the store in batches.
struct PostgresImportSession {
    /// One source SELECT feeding one vecd table.
    struct Plan {
        let mapping: PostgresImportMapping
        let orderBy: String?
    }

    let store: VecdStore
    let connection: PostgresConnection
    let options: PostgresImportOptions
    let progress: (String) -> Void

    /// Creates every collection the documents of `plans` name, with the dimension their chunks' vectors have.
    func createDocumentCollections(_ plans: [Plan]) throws {
        let documents = plans.filter { $0.mapping.target.name == "documents" }
        for documentPlan in documents {
            let documentSQL = documentPlan.mapping.selectSQL(orderBy: nil)
            var dimensions: [String: Int] = [:]
            for chunkPlan in plans where chunkPlan.mapping.target.name == "chunks" {
                let result = try connection.query(
                    "SELECT d.\"collection\", min(vector_dims(k.\"embedding\")), max(vector_dims(k.\"embedding\")) "
                        + "FROM (\(chunkPlan.mapping.selectSQL(orderBy: nil))) k JOIN (\(documentSQL)) d "
                        + "ON d.\"id\" = k.\"document_id\" WHERE k.\"embedding\" IS NOT NULL GROUP BY 1")
                for row in 0..<result.rowCount {
                    guard let name = try result.string(row: row, column: 0),
                        let low = try result.int(row: row, column: 1), let high = try result.int(row: row, column: 2)
                    else { continue }
                    guard low == high, dimensions[name].map({ $0 == low }) ?? true else {
                        throw PostgresTransferError(
                            .invalidArgument,
                            "collection \(name) would get vectors of \(low) and \(high) dimensions; "
                                + "a collection holds one dimension")
                    }
                    dimensions[name] = low
                }
            }
            let names = try connection.query("SELECT DISTINCT \"collection\" FROM (\(documentSQL)) d ORDER BY 1")
            for row in 0..<names.rowCount {
                guard let name = try names.string(row: row, column: 0) else { continue }
                guard let dimension = dimensions[name] else {
                    throw PostgresTransferError(
                        .sourceMissing,
                        "cannot tell the dimension of collection \(name): none of its chunks has an embedding")
                }
                try store.createCollection(CollectionInfo(name: name, dimension: dimension, metric: options.metric))
                progress("collection \(name): \(dimension) dimensions, \(options.metric.rawValue)")
            }
        }
    }

    /// Streams one plan into the store; returns the rows stored.
    func run(_ plan: Plan) throws -> Int {
        let start = ContinuousClock.now
        let target = plan.mapping.target
        let batch = max(1, options.batchRows)
        var total = 0
        try connection.transaction {
            try connection.exec(
                "DECLARE vecd_import NO SCROLL CURSOR FOR " + plan.mapping.selectSQL(orderBy: plan.orderBy))
            while true {
                let result = try connection.query("FETCH FORWARD \(batch) FROM vecd_import", resultFormat: .binary)
                guard result.rowCount > 0 else { break }
                var rows: [[ExportValue]] = []
                rows.reserveCapacity(result.rowCount)
                for row in 0..<result.rowCount {
                    rows.append(
                        try target.columns.enumerated().map { column, spec in
                            try Self.value(result, row: row, column: column, kind: spec.kind)
                        })
                }
                total += try store.importRows(rows, into: target)
            }
            try connection.exec("CLOSE vecd_import")
        }
        progress(
            "\(plan.mapping.source.name) → \(target.name): \(total) rows in "
                + String(format: "%.2f s", (ContinuousClock.now - start).seconds))
        return total
    }

    private static func value(
        _ result: PostgresResult, row: Int, column: Int, kind: ExportColumnKind
    ) throws -> ExportValue {
        if result.isNull(row: row, column: column) { return .null }
        switch kind {
        case .text: return try result.string(row: row, column: column).map(ExportValue.text) ?? .null
        case .json: return try result.string(row: row, column: column).map(ExportValue.json) ?? .null
        case .integer: return try result.int64(row: row, column: column).map(ExportValue.integer) ?? .null
        case .timestamp: return try result.int64(row: row, column: column).map(ExportValue.timestamp) ?? .null
        case .real: return try result.double(row: row, column: column).map(ExportValue.real) ?? .null
        case .boolean: return try result.bool(row: row, column: column).map(ExportValue.boolean) ?? .null
        case .vector: return try result.vector(row: row, column: column).map(ExportValue.vector) ?? .null
        }
    }
}
