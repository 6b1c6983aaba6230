import Foundation
import Testing
import Vecd
import VecdPostgres

@Suite("SQL file export and dropped connections", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostgresTransferFailureTests {
    /// psql: `VECD_TEST_PSQL`, else Debian's client.
    static let psql: String? = {
        if let path = ProcessInfo.processInfo.environment["VECD_TEST_PSQL"] { return path }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/psql") ? "/usr/bin/psql" : nil
    }()

    @Test("the SQL file loads with psql -f and imports back to the same rows", .enabled(if: psql != nil || TestPostgres.isCI))
    func sqlFile() async throws {
        let source = TransferFixture.temporaryDirectory()
        let target = TransferFixture.temporaryDirectory()
        let file = source.path + ".sql"
        defer {
            for directory in [source, target] { try? FileManager.default.removeItem(at: directory) }
            try? FileManager.default.removeItem(atPath: file)
        }
        try await TransferFixture.fill(VecdStore(directory: source), documents: 25, dimension: 6)
        try TransferFixture.withSchema { schema in
            let report = try SQLFileExporter.export(directory: source, to: file, schema: schema)
            #expect(report.rowCounts["document_chunks"] == 25)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.psql ?? "/usr/bin/psql")
            process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", TestPostgres.url ?? "", "-f", file]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "psql: \(stderr)")

            var options = PostgresImportOptions(url: TestPostgres.url ?? "")
            options.schema = schema
            _ = try PostgresImporter.importSchema(into: VecdStore(directory: target), options: options)
            TransferFixture.expectSameRows(try TransferFixture.rows(of: source), try TransferFixture.rows(of: target))

            // The file recorded the export state: a live export continues incrementally from it.
            var export = PostgresExportOptions(url: TestPostgres.url ?? "")
            export.schema = schema
            #expect(try PostgresExporter.export(directory: source, options: export).mode == .incremental)
        }
    }

    @Test("an export whose connection drops mid-way leaves the target unchanged, and the next run completes")
    func exportConnectionDrop() async throws {
        let source = TransferFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: source) }
        try await TransferFixture.fill(VecdStore(directory: source), documents: 10, dimension: 4)
        try TransferFixture.withSchema { schema in
            let name = "vecd_export_" + schema
            var options = PostgresExportOptions(url: TransferFixture.url(applicationName: name))
            options.schema = schema
            let killer = try TestPostgres.connect()
            #expect {
                try PostgresExporter.export(directory: source, options: options) { line in
                    // After the first table is copied, inside the export's transaction.
                    if line.hasPrefix("copy documents") {
                        _ = try? killer.query(
                            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE application_name = $1",
                            [.text(name)])
                    }
                }
            } throws: { ($0 as? PostgresError)?.code == .connectionLost }
            let tables = try killer.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name <> $2",
                [.text(schema), .text("vecd_export_state")])
            #expect(try tables.int(row: 0, column: 0) == 0)
            let report = try PostgresExporter.export(directory: source, options: options)
            #expect(report.mode == .full)
            #expect(report.tables.first { $0.name == "documents" }?.rowCount == 10)
        }
    }

    @Test("an import whose connection drops keeps whole batches only and a consistent store")
    func importConnectionDrop() async throws {
        let source = TransferFixture.temporaryDirectory()
        let target = TransferFixture.temporaryDirectory()
        defer { for directory in [source, target] { try? FileManager.default.removeItem(at: directory) } }
        try await TransferFixture.fill(VecdStore(directory: source), documents: 10, dimension: 4)
        try TransferFixture.withSchema { schema in
            var export = PostgresExportOptions(url: TestPostgres.url ?? "")
            export.schema = schema
            _ = try PostgresExporter.export(directory: source, options: export)

            let name = "vecd_import_" + schema
            var options = PostgresImportOptions(url: TransferFixture.url(applicationName: name))
            options.schema = schema
            options.batchRows = 4
            let killer = try TestPostgres.connect()
            let store = try VecdStore(directory: target)
            #expect {
                try PostgresImporter.importSchema(into: store, options: options) { line in
                    if line.hasPrefix("documents → documents") {
                        _ = try? killer.query(
                            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE application_name = $1",
                            [.text(name)])
                    }
                }
            } throws: { ($0 as? PostgresError)?.code == .connectionLost }
            #expect(try store.documents(in: "kb").count == 10)  // the finished table is kept
            let report = try store.verify()
            #expect(report.orphanVectors == 0)
            #expect(report.storedVectors == report.indexedVectors)
        }
    }
}
