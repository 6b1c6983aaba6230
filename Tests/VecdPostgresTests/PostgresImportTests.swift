import Foundation
import Testing
import Vecd
import VecdPostgres

@Suite("import from PostgreSQL", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostgresImportTests {
    @Test("a pgvector table with uuid ids becomes documents with their vectors bit-identical and metadata kept")
    func singleTable() throws {
        let directory = TransferFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try TransferFixture.withSchema { schema in
            let connection = try TestPostgres.connect()
            try connection.exec(
                "CREATE SCHEMA \(schema); CREATE TABLE \(schema).items (id uuid PRIMARY KEY, body text, "
                    + "lang text, n integer, extra jsonb, embedding vector(5))")
            var expected: [String: [Float]] = [:]
            for index in 0..<12 {
                let id = UUID()
                let vector = TransferFixture.vector(index, dimension: 5)
                expected[id.uuidString.lowercased()] = vector
                try connection.query(
                    "INSERT INTO \(schema).items VALUES ($1, $2, $3, $4, $5, $6::vector)",
                    [.uuid(id), index == 3 ? .null : .text(TransferFixture.oddTexts[index % 8]),
                     index % 2 == 0 ? .text("en") : .null, .int32(Int32(index)),
                     .jsonb(#"{"deep": [1, "x"]}"#), .vector(vector)])
            }
            var options = PostgresImportOptions(url: TestPostgres.url ?? "")
            options.schema = schema
            let spec = PostgresTableImportSpec(
                table: "items", idColumn: "id", embeddingColumn: "embedding", textColumn: "body",
                metadataColumns: ["lang", "n", "extra"])
            let store = try VecdStore(directory: directory)
            let report = try PostgresImporter.importTable(spec, into: store, options: options)
            #expect(report.tables.map(\.rows) == [12, 12])
            #expect(try store.collections().map(\.name) == ["items"])

            let rows = try TransferFixture.rows(of: directory)
            // Documents are keyed by (tenant_id, id); a chunk is (id, tenant_id, document_id, …, embedding).
            #expect(Set(rows["documents"]!.keys) == Set(expected.keys.map { "text(\"default\")|text(\"\($0)\")" }))
            for chunk in rows["chunks"]!.values {
                guard case .text(let id) = chunk[2], case .vector(let vector) = chunk[8] else {
                    Issue.record("chunk without document id or vector: \(chunk)")
                    continue
                }
                #expect(vector.map(\.bitPattern) == expected[id]?.map(\.bitPattern))
            }
            let document = try store.document(id: expected.keys.sorted()[0])
            #expect(document.metadata["n"] != nil)
            #expect(document.metadata["extra"] == .object(["deep": .array([.number(1), .string("x")])]))
            let untexted = rows["documents"]!.values.filter { $0[7] == .text("") }
            #expect(untexted.count == 1)  // the NULL body became empty text
        }
    }

    @Test("seed 001 and seed 004 schemas import in one call")
    func seedSchemas() throws {
        let directory = TransferFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try TransferFixture.withSchema { schema in
            let connection = try TestPostgres.connect()
            try connection.exec(
                """
                CREATE SCHEMA \(schema);
                SET search_path = \(schema), public;
                CREATE TABLE ai_kb_documents (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), scope text NOT NULL,
                  title text NOT NULL, content text NOT NULL, metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
                  embedding vector(6), created_at timestamptz NOT NULL DEFAULT now(),
                  updated_at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE ai_memories (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id text,
                  tenant_id text, scope text, content text NOT NULL, tags text[]);
                CREATE TABLE ai_feedback (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), message_id uuid NOT NULL,
                  rating text NOT NULL, edited_text text, created_at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE documents (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id varchar(255),
                  document_type text, is_global boolean, content text, metadata jsonb,
                  created_at timestamptz DEFAULT now());
                CREATE TABLE document_chunks (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                  document_id uuid REFERENCES documents(id), chunk_index int, content text, metadata jsonb,
                  embedding vector(3));
                CREATE TABLE user_memories (user_id varchar(255) PRIMARY KEY, memory text NOT NULL DEFAULT '',
                  metadata jsonb NOT NULL DEFAULT '{}', updated_at timestamptz NOT NULL DEFAULT now());
                INSERT INTO ai_kb_documents (scope, title, content, metadata, embedding, created_at)
                  VALUES ('global', 'Beta', 'what beta means', '{"src": "docs"}', '[1,0,0,0,0,0]',
                          '2026-01-02 03:04:05.678+00'),
                         ('page:x', 'Vol', 'volatility', '{}', '[0,1,0,0,0,0]', now());
                INSERT INTO ai_memories (user_id, tenant_id, scope, content, tags)
                  VALUES ('u1', 't1', 'user', 'prefers charts', '{a,b}'), (NULL, 't1', 'tenant', 'house style', NULL),
                         (NULL, NULL, 'global', 'be kind', '{}'), ('u2', NULL, NULL, 'scope inferred', NULL);
                INSERT INTO ai_feedback (message_id, rating, edited_text)
                  VALUES (gen_random_uuid(), 'up', NULL), (gen_random_uuid(), 'down', 'fixed');
                INSERT INTO documents (id, user_id, document_type, is_global, content, metadata)
                  VALUES ('00000000-0000-0000-0000-000000000001', 'u1', 'markdown', true, 'hello world', '{"a": 1}');
                INSERT INTO document_chunks (document_id, chunk_index, content, metadata, embedding)
                  VALUES ('00000000-0000-0000-0000-000000000001', 0, 'hello', '{"start_char": 0, "end_char": 5}',
                          '[1,2,3]'),
                         ('00000000-0000-0000-0000-000000000001', 1, 'world', '{"start_char": 6, "end_char": 11}',
                          '[3,2,1]');
                INSERT INTO user_memories (user_id, memory) VALUES ('u1', 'likes tea');
                """)
            var options = PostgresImportOptions(url: TestPostgres.url ?? "")
            options.schema = schema
            let store = try VecdStore(directory: directory)
            let report = try PostgresImporter.importSchema(into: store, options: options)
            let counts = Dictionary(report.tables.map { ("\($0.source)→\($0.target)", $0.rows) }, uniquingKeysWith: +)
            #expect(counts["ai_kb_documents→documents"] == 2)
            #expect(counts["ai_kb_documents→chunks"] == 2)
            #expect(counts["documents→documents"] == 1)
            #expect(counts["document_chunks→chunks"] == 2)
            #expect(counts["ai_memories→memories"] == 4)
            #expect(counts["ai_feedback→feedback"] == 2)
            #expect(counts["user_memories→user_memories"] == 1)

            let collections = try store.collections().map { "\($0.name):\($0.dimension)" }
            #expect(collections == ["ai_kb_documents:6", "documents:3"])
            let chunks = try store.chunks(ofDocument: "00000000-0000-0000-0000-000000000001")
            #expect(chunks.map(\.content) == ["hello", "world"])
            #expect(chunks.map(\.startOffset) == [0, 6])
            let kb = try store.documents(in: "ai_kb_documents")
            let beta = try #require(kb.first { $0.title == "Beta" })
            #expect(beta.createdAt == Date(timeIntervalSince1970: 1_767_323_045.678))
            #expect(beta.metadata == ["src": .string("docs")])
            let memories = try store.memories(MemoryViewer(tenantID: "t1", userID: "u1"))
            #expect(Set(memories.map(\.content)) == ["prefers charts", "house style", "be kind"])
            #expect(memories.first { $0.content == "prefers charts" }?.tags == ["a", "b"])
            let inferred = try store.memories(MemoryViewer(tenantID: "default", userID: "u2"))
            #expect(inferred.contains { $0.content == "scope inferred" && $0.scope == .user })
            #expect(try store.userMemory(userID: "u1").memory == "likes tea")
            #expect(try store.feedbackStats().total == 2)
        }
    }

    @Test("20,000 rows import in batches and export back unchanged")
    func largeBatch() throws {
        let directory = TransferFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try TransferFixture.withSchema { schema in
            let connection = try TestPostgres.connect()
            try connection.exec(
                "CREATE SCHEMA \(schema); CREATE TABLE \(schema).big AS SELECT g AS id, 'row ' || g AS body, "
                    + "('[' || sin(g) || ',' || cos(g) || ',' || (g % 7) || ']')::vector(3) AS embedding "
                    + "FROM generate_series(1, 20000) g")
            var options = PostgresImportOptions(url: TestPostgres.url ?? "")
            options.schema = schema
            let store = try VecdStore(directory: directory)
            let spec = PostgresTableImportSpec(table: "big", idColumn: "id", embeddingColumn: "embedding",
                                               textColumn: "body")
            let report = try PostgresImporter.importTable(spec, into: store, options: options)
            #expect(report.tables.map(\.rows) == [20_000, 20_000])
            #expect(try store.vectorCount(collection: "big") == 20_000)

            var export = PostgresExportOptions(url: TestPostgres.url ?? "")
            export.schema = schema
            _ = try PostgresExporter.export(directory: directory, options: export)
            let matching = try connection.query(
                "SELECT count(*) FROM \(schema).big b JOIN \(schema).document_chunks k ON k.document_id = b.id::text "
                    + "WHERE k.embedding = b.embedding AND k.content = b.body")
            #expect(try matching.int(row: 0, column: 0) == 20_000)
        }
    }
}
