import Foundation
import Testing
import Vecd
import VecdPostgres

@Suite("export to PostgreSQL, import back", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostgresRoundTripTests {
    @Test("export then import gives the same ids, bit-identical vectors, same metadata and timestamps")
    func roundTrip() async throws {
        let source = TransferFixture.temporaryDirectory()
        let target = TransferFixture.temporaryDirectory()
        defer { for directory in [source, target] { try? FileManager.default.removeItem(at: directory) } }
        try await TransferFixture.fill(VecdStore(directory: source), documents: 40, dimension: 8)
        try TransferFixture.withSchema { schema in
            var options = PostgresExportOptions(url: TestPostgres.url ?? "")
            options.schema = schema
            var lines: [String] = []
            let report = try PostgresExporter.export(directory: source, options: options) { lines.append($0) }
            #expect(report.mode == .full)
            #expect(report.tables.first { $0.name == "document_chunks" }?.rowCount == 40)
            #expect(report.tables.first { $0.name == "ai_memories" }?.rowCount == 6)
            #expect(lines.contains { $0.hasPrefix("index document_chunks (hnsw, m = 16, ef_construction = 64)") })

            // Seed-shaped types, with an HNSW index where the dimension is fixed.
            let connection = try TestPostgres.connect()
            let type = try connection.query(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    + "WHERE attrelid = '\(schema).document_chunks'::regclass AND attname = 'embedding'")
            #expect(try type.string(row: 0, column: 0) == "vector(8)")
            // Filter by schema and access method before pg_get_indexdef runs: other suites drop their schemas
            // concurrently, and pg_indexes' `indexdef LIKE` would decode their vanishing indexes too.
            let indexes = try connection.query(
                "SELECT pg_get_indexdef(c.oid) FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
                    + "WHERE c.relkind = 'i' AND n.nspname = $1 AND a.amname = 'hnsw' ORDER BY 1",
                [.text(schema)])
            #expect(indexes.rowCount == 3)  // chunks, memories, cache
            let metadata = try connection.query(
                "SELECT metadata->'nested'->>'ok' FROM \(schema).documents WHERE id = 'doc-0'")
            #expect(try metadata.string(row: 0, column: 0) == "true")

            let imported = try VecdStore(directory: target)
            var importOptions = PostgresImportOptions(url: TestPostgres.url ?? "")
            importOptions.schema = schema
            importOptions.batchRows = 7  // several batches per table
            let importReport = try PostgresImporter.importSchema(into: imported, options: importOptions)
            #expect(importReport.tables.map(\.target).contains("response_cache"))
            let consistency = try imported.verify()
            #expect(consistency.orphanVectors == 0 && consistency.storedVectors == consistency.indexedVectors)
            TransferFixture.expectSameRows(try TransferFixture.rows(of: source), try TransferFixture.rows(of: target))
            #expect(try imported.vectorCount(collection: "kb") == 40)
        }
    }

    @Test("a second export sends only inserts, updates and deletes since the first; a third sends nothing")
    func incremental() async throws {
        let source = TransferFixture.temporaryDirectory()
        let mirror = TransferFixture.temporaryDirectory()
        defer { for directory in [source, mirror] { try? FileManager.default.removeItem(at: directory) } }
        let store = try VecdStore(directory: source)
        try await TransferFixture.fill(store, documents: 20, dimension: 4)
        try await TransferFixture.withSchema { schema in
            var options = PostgresExportOptions(url: TestPostgres.url ?? "")
            options.schema = schema
            _ = try PostgresExporter.export(directory: source, options: options)

            let memory = try store.memories(MemoryViewer(tenantID: "tenant-1")).first!
            _ = try await store.updateMemory(id: memory.id, tenant: "tenant-1", content: "changed \u{1F501}",
                vector: TransferFixture.vector(99, dimension: 4), allowGlobal: true)
            try store.deleteDocument(id: "doc-3")
            try store.deletePreference(key: "theme")
            _ = try store.upsertUserMemory(userID: "user-1", .append("new line"))
            _ = try await store.ingest(
                [DocumentInput(id: "late", content: "added later", vectors: [TransferFixture.vector(7, dimension: 4)])],
                into: "kb", chunking: .wholeDocument)

            let second = try PostgresExporter.export(directory: source, options: options)
            #expect(second.mode == .incremental)
            let sent = Dictionary(uniqueKeysWithValues: second.tables.map { ($0.name, $0.sentRows) })
            #expect(sent["documents"] == 1)  // "late"; doc-3 was only deleted
            #expect(sent["document_chunks"] == 1)
            #expect(sent["ai_memories"] == 1)
            #expect(sent["preferences"] == 0)
            #expect(sent["user_memories"] == 1)
            #expect(second.tables.first { $0.name == "documents" }?.rowCount == 20)
            let connection = try TestPostgres.connect()
            let gone = try connection.query("SELECT count(*) FROM \(schema).documents WHERE id = 'doc-3'")
            #expect(try gone.int(row: 0, column: 0) == 0)

            let third = try PostgresExporter.export(directory: source, options: options)
            #expect(third.mode == .incremental)
            #expect(third.tables.allSatisfy { $0.sentRows == 0 && $0.deletedKeys == 0 })

            // What the target holds is exactly the store now.
            var importOptions = PostgresImportOptions(url: TestPostgres.url ?? "")
            importOptions.schema = schema
            _ = try PostgresImporter.importSchema(into: VecdStore(directory: mirror), options: importOptions)
            TransferFixture.expectSameRows(try TransferFixture.rows(of: source), try TransferFixture.rows(of: mirror))
        }
    }

    @Test("tables of the same names that this store did not write are refused unless --replace")
    func foreignTables() async throws {
        let source = TransferFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: source) }
        try await TransferFixture.fill(VecdStore(directory: source), documents: 3, dimension: 4)
        try TransferFixture.withSchema { schema in
            let connection = try TestPostgres.connect()
            try connection.exec("CREATE SCHEMA \(schema); CREATE TABLE \(schema).documents (id uuid PRIMARY KEY)")
            var options = PostgresExportOptions(url: TestPostgres.url ?? "")
            options.schema = schema
            #expect {
                try PostgresExporter.export(directory: source, options: options)
            } throws: { ($0 as? PostgresTransferError)?.code == .targetNotEmpty }
            let kept = try connection.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1",
                                            [.text(schema)])
            #expect(try kept.int(row: 0, column: 0) == 2)  // their documents and the state table, nothing else
            options.replace = true
            #expect(try PostgresExporter.export(directory: source, options: options).mode == .full)
        }
    }

    @Test("a document holding NUL is refused with its row and byte offset, and the target stays as it was")
    func nulIsRefused() async throws {
        let source = TransferFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: source) }
        let store = try VecdStore(directory: source)
        try await TransferFixture.fill(store, documents: 2, dimension: 4)
        _ = try await store.ingest(
            [DocumentInput(id: "nul", content: "before\u{0}after", vectors: [TransferFixture.vector(1, dimension: 4)])],
            into: "kb", chunking: .wholeDocument)
        try TransferFixture.withSchema { schema in
            var options = PostgresExportOptions(url: TestPostgres.url ?? "")
            options.schema = schema
            #expect {
                try PostgresExporter.export(directory: source, options: options)
            } throws: { error in
                guard let error = error as? PostgresError else { return false }
                return error.code == .invalidParameter && error.message.contains("NUL")
                    && error.message.contains("offset 6")
            }
            let tables = try TestPostgres.connect().query(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'documents'",
                [.text(schema)])
            #expect(try tables.int(row: 0, column: 0) == 0)
            let file = TransferFixture.temporaryDirectory().path + ".sql"
            #expect {
                try SQLFileExporter.export(directory: source, to: file, schema: schema)
            } throws: { ($0 as? PostgresTransferError)?.code == .invalidArgument }
            #expect(!FileManager.default.fileExists(atPath: file))
            #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        }
    }
}
