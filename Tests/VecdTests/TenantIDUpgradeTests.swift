import Foundation
import Testing
import Vecd
import VecdSQLite

/// A store written before ids were per tenant (schema version 3) keeps every row through the upgrade, and its
/// tenants can then reuse each other's ids.
@Suite("Upgrade to per-tenant ids")
struct TenantIDUpgradeTests {
    /// A store directory at schema version 3 holding one document with a chunk and its vector, and one conversation
    /// with two messages, all of tenant `a`, written with the SQL of that version.
    static func versionThreeStore() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-v3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let connection = try Connection(path: directory.appendingPathComponent(VecdStore.databaseFileName).path)
        try Migrator(migrations: Array(Migration.vecdSchema.prefix(3))).migrate(connection)
        let vector = Data([Float(1), 0, 0].flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        try connection.execute(
            """
            INSERT INTO collections (id, name, dimension, metric, created_at) VALUES (1, 'docs', 3, 'cosine', 0);
            INSERT INTO documents (id, collection_id, tenant_id, title, content, created_at, updated_at)
                VALUES ('doc-1', 1, 'a', 'Lamp', 'the reading lamp uses seven watts', 0, 0);
            INSERT INTO conversations (id, tenant_id, created_at, updated_at) VALUES ('chat-1', 'a', 0, 0);
            INSERT INTO messages (id, conversation_id, role, content, created_at)
                VALUES ('msg-1', 'chat-1', 'user', 'how many watts?', 5), ('msg-2', 'chat-1', 'assistant', 'seven', 5);
            """)
        try connection.run("INSERT INTO vectors (id, collection_id, slot, vector) VALUES (1, 1, 0, ?)", [vector])
        try connection.execute(
            """
            INSERT INTO chunks (id, document_id, chunk_index, content, start_offset, end_offset, vector_id)
                VALUES (7, 'doc-1', 0, 'the reading lamp uses seven watts', 0, 33, 1);
            """)
        return directory
    }

    @Test("documents, chunks, full text, vectors, conversations and messages survive; ids are then per tenant")
    func upgradeKeepsRows() async throws {
        let directory = try Self.versionThreeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try VecdStore(directory: directory)
        let document = try store.document(id: "doc-1", tenant: "a")
        #expect(document.title == "Lamp")
        #expect(try store.chunks(ofDocument: "doc-1", tenant: "a").map(\.id) == [7])
        let lexical = try store.fullTextSearch("lamp", in: "docs", filter: DocumentFilter(tenantID: "a"))
        #expect(lexical.map(\.chunk.id) == [7])
        let nearest = try store.searchChunks(vector: [1, 0, 0], in: "docs", filter: DocumentFilter(tenantID: "a"), k: 1)
        #expect(nearest.hits.map(\.chunk.documentID) == ["doc-1"])
        #expect(try store.messages(in: "chat-1", tenant: "a").map(\.id) == ["msg-1", "msg-2"])

        // Tenant b takes the same ids; tenant a's rows stay as they were.
        let ingested = try await store.ingest(
            [DocumentInput(id: "doc-1", title: "Tea", content: "green tea", vectors: [[0, 1, 0]])], into: "docs",
            tenant: "b")
        #expect(ingested.documentIDs == ["doc-1"])
        _ = try store.createConversation(id: "chat-1", tenant: "b")
        try store.addMessage(to: "chat-1", role: .user, content: "tea?", id: "msg-1", tenant: "b")
        #expect(try store.document(id: "doc-1", tenant: "a").title == "Lamp")
        #expect(try store.document(id: "doc-1", tenant: "b").title == "Tea")
        #expect(try store.messages(in: "chat-1", tenant: "a").map(\.content) == ["how many watts?", "seven"])
        #expect(try store.messages(in: "chat-1", tenant: "b").map(\.content) == ["tea?"])
        try store.deleteDocument(id: "doc-1", tenant: "b")
        #expect(try store.chunks(ofDocument: "doc-1", tenant: "a").count == 1)
        #expect(try store.verify().isConsistent)
    }
}
