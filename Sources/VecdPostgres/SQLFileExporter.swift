public import Foundation
import Vecd

/// What an SQL-file export wrote.
public struct SQLFileExportReport: Sendable, Equatable {
    /// Rows per target table, in load order.
    public var rowCounts: [String: Int]
    public var byteCount: Int
    public var seconds: Double
}

/// Writes a store as one SQL file that `psql -v ON_ERROR_STOP=1 -f FILE` loads into a PostgreSQL with pgvector:
/// the same tables, rows and HNSW indexes as ``PostgresExporter``, in one transaction, with text `COPY … FROM
/// stdin` blocks (the format `pg_dump` writes). Vectors are printed with the shortest decimal that reads back to the
/// same Float32, so the loaded vectors are bit-identical. The file also records the export state, so a later
/// `vecd export postgres` to that database continues incrementally.
public enum SQLFileExporter {
    /// Writes the store in `directory` to `path` (through a temporary file renamed into place, so a failed export
    /// leaves no half-written file).
    public static func export(
        directory: URL, to path: String, schema: String = "public", index: PgvectorIndexSettings = .init(),
        progress: (String) -> Void = { _ in }
    ) throws -> SQLFileExportReport {
        let start = ContinuousClock.now
        let reader = try StoreExportReader(directory: directory)
        let layout = try PostgresExportLayout.plan(reader, schema: schema)
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw PostgresTransferError(.invalidArgument, "cannot create \(temporary)") }
        let output = SQLFileOutput(handle: handle)
        var counts: [String: Int] = [:]
        do {
            try writeHeader(output, reader: reader, layout: layout)
            for planned in layout.tables {
                let count = try writeTable(planned, output: output, reader: reader, layout: layout)
                counts[planned.table.targetName] = count
                progress("\(planned.table.targetName): \(count) rows")
            }
            output.line("SET LOCAL maintenance_work_mem = '\(index.maintenanceWorkMemory)';")
            for planned in layout.tables {
                if let statement = layout.indexStatement(planned, settings: index) { output.line(statement + ";") }
            }
            output.line(layout.createStateStatement + ";")
            output.line(
                "INSERT INTO \(layout.qualified(PostgresExportLayout.stateTableName)) (source_id, last_change, layout) "
                    + "VALUES ('\(reader.sourceID)', \(reader.lastChangeSequence), '\(layout.fingerprint)') "
                    + "ON CONFLICT (source_id) DO UPDATE SET last_change = excluded.last_change, "
                    + "layout = excluded.layout, exported_at = now();")
            output.line("COMMIT;")
            try output.flush()
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return SQLFileExportReport(
            rowCounts: counts, byteCount: output.byteCount, seconds: (ContinuousClock.now - start).seconds)
    }

    private static func writeHeader(_ output: SQLFileOutput, reader: StoreExportReader, layout: PostgresExportLayout)
        throws
    {
        output.line("-- vecd export of store \(reader.sourceID) up to change \(reader.lastChangeSequence).")
        output.line("-- Load with: psql -v ON_ERROR_STOP=1 -f FILE (needs the pgvector extension).")
        output.line("-- It replaces the tables below in schema \(layout.schema), in one transaction.")
        output.line("BEGIN;")
        output.line("SET client_encoding = 'UTF8';")
        output.line("SET client_min_messages = warning;")
        output.line("CREATE EXTENSION IF NOT EXISTS vector;")
        output.line("CREATE SCHEMA IF NOT EXISTS \"\(layout.schema)\";")
    }

    private static func writeTable(
        _ planned: PostgresExportLayout.Table, output: SQLFileOutput, reader: StoreExportReader,
        layout: PostgresExportLayout
    ) throws -> Int {
        let table = planned.table
        output.line("DROP TABLE IF EXISTS \(layout.qualified(table.targetName)) CASCADE;")
        output.line(layout.createStatement(planned) + ";")
        output.line("COPY \(layout.qualified(table.targetName)) (\(PostgresExportLayout.columnList(table))) FROM stdin;")
        var count = 0
        try reader.forEachRow(of: table) { values in
            count += 1
            for (index, value) in values.enumerated() {
                if index > 0 { output.byte(UInt8(ascii: "\t")) }
                do { try SQLCopyText.append(value, to: output) } catch let problem as SQLCopyText.NULError {
                    throw PostgresTransferError(
                        .invalidArgument,
                        "\(table.name) row \(count), column \(table.columns[index].name): \(problem.description)")
                }
            }
            output.byte(UInt8(ascii: "\n"))
            try output.flushIfFull()
        }
        output.line("\\.")
        return count
    }
}

/// Buffered writing of the SQL file.
final class SQLFileOutput {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var byteCount = 0

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func line(_ text: String) {
        append(text)
        byte(UInt8(ascii: "\n"))
    }

    func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    func byte(_ value: UInt8) { buffer.append(value) }

    func flushIfFull() throws { if buffer.count >= 1 << 20 { try flush() } }

    func flush() throws {
        byteCount += buffer.count
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
