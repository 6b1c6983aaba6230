import Foundation
public import Vecd
public import VecdKernels

/// Where an import reads from and how it batches.
public struct PostgresImportOptions: Sendable {
    /// libpq URL of the source database.
    public var url: String
    /// The schema holding the source tables.
    public var schema = "public"
    /// Rows per store transaction (and per `FETCH`).
    public var batchRows = 5_000
    /// The metric of collections the import creates.
    public var metric: DistanceMetric = .cosine

    public init(url: String) { self.url = url }
}

/// One pgvector table to bring in as documents with one chunk each (`vecd import postgres --table …`).
public struct PostgresTableImportSpec: Sendable {
    public var table: String
    public var idColumn: String
    public var embeddingColumn: String
    /// The text of each document (and of its chunk); empty when nil.
    public var textColumn: String?
    /// Columns gathered into each document's metadata object, under their own names.
    public var metadataColumns: [String]
    /// The collection receiving the documents (default: the table's name).
    public var collection: String?

    public init(
        table: String, idColumn: String, embeddingColumn: String, textColumn: String? = nil,
        metadataColumns: [String] = [], collection: String? = nil
    ) {
        self.table = table
        self.idColumn = idColumn
        self.embeddingColumn = embeddingColumn
        self.textColumn = textColumn
        self.metadataColumns = metadataColumns
        self.collection = collection
    }
}

/// What an import did.
public struct PostgresImportReport: Sendable, Equatable {
    /// Rows imported per source table (`table → vecd table`), in import order.
    public var tables: [(source: String, target: String, rows: Int)]
    public var seconds: Double

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.tables.elementsEqual(rhs.tables) { $0 == $1 } && lhs.seconds == rhs.seconds
    }
}

/// Brings PostgreSQL + pgvector tables into a vecd store: one pgvector table as documents, or a whole seed-shaped
/// schema (vecd's own export, seed 001's `ai_kb_documents`/`ai_memories`/`ai_feedback`, seed 004's
/// `documents`/`document_chunks`/`user_memories`, seed 002's `preferences`/`training_data`/`response_cache`)
/// in one call. Rows are read through a cursor and stored in batches of ``PostgresImportOptions/batchRows``, each one
/// store transaction: an interrupted import keeps whole batches only, and the store stays consistent.
public enum PostgresImporter {
    /// Imports every seed-shaped table found in the schema; `kbCollection` names the collection of seed 001's
    /// `ai_kb_documents`, `documentsCollection` that of seed 004's documents when the table has no `collection`.
    public static func importSchema(
        into store: VecdStore, options: PostgresImportOptions, documentsCollection: String = "documents",
        kbCollection: String = "ai_kb_documents", progress: (String) -> Void = { _ in }
    ) throws -> PostgresImportReport {
        let start = ContinuousClock.now
        try PostgresExportLayout.checkIdentifier(options.schema)
        let connection = try PostgresConnection(url: options.url)
        defer { connection.close() }
        return try withoutActuallyEscaping(progress) { progress in
            let session = PostgresImportSession(
                store: store, connection: connection, options: options, progress: progress)
            return try importSchema(session, documentsCollection: documentsCollection, kbCollection: kbCollection, start: start)
        }
    }

    private static func importSchema(
        _ session: PostgresImportSession, documentsCollection: String, kbCollection: String,
        start: ContinuousClock.Instant
    ) throws -> PostgresImportReport {
        let connection = session.connection
        let options = session.options
        var plans: [PostgresImportSession.Plan] = []
        let documentsSource = try PostgresImportSource.load(connection, schema: options.schema, name: "documents")
        if let source = documentsSource {
            try source.require(["id"])
            var mapping = PostgresImportMapping(source: source, target: ExportTable.named("documents")!)
            if !source.has("collection") { mapping.overrides["collection"] = Self.literal(documentsCollection) }
            plans.append(.init(mapping: mapping, orderBy: "\"id\""))
        }
        if let source = try PostgresImportSource.load(connection, schema: options.schema, name: "document_chunks") {
            try source.require(["document_id"])
            plans.append(
                .init(mapping: .chunks(source, documents: documentsSource), orderBy: source.has("id") ? "\"id\"" : nil))
        }
        if let source = try PostgresImportSource.load(connection, schema: options.schema, name: "ai_kb_documents") {
            try source.require(["id", "embedding"])
            plans.append(.init(mapping: .knowledgeBaseDocuments(source, collection: kbCollection), orderBy: "\"id\""))
            plans.append(
                .init(mapping: .knowledgeBaseChunks(source, embeddingColumn: "embedding"), orderBy: "\"id\""))
        }
        let plain: [(String, String)] = [
            ("ai_memories", "memories"), ("user_memories", "user_memories"), ("preferences", "preferences"),
            ("ai_feedback", "feedback"), ("training_data", "training_data"), ("response_cache", "response_cache"),
        ]
        for (name, target) in plain {
            guard let source = try PostgresImportSource.load(connection, schema: options.schema, name: name) else {
                continue
            }
            let mapping =
                target == "memories"
                ? PostgresImportMapping.memories(source)
                : PostgresImportMapping(source: source, target: ExportTable.named(target)!)
            let key = mapping.target.keyColumns.compactMap { source.column($0.name) }
            plans.append(.init(mapping: mapping, orderBy: key.isEmpty ? nil : key.joined(separator: ", ")))
        }
        guard !plans.isEmpty else {
            throw PostgresTransferError(
                .sourceMissing, "schema \(options.schema) holds none of the seed tables vecd imports")
        }
        try session.createDocumentCollections(plans)
        var report = PostgresImportReport(tables: [], seconds: 0)
        for plan in plans {
            let rows = try session.run(plan)
            report.tables.append((plan.mapping.source.name, plan.mapping.target.name, rows))
        }
        report.seconds = (ContinuousClock.now - start).seconds
        return report
    }

    /// Imports one pgvector table as documents of one collection, each with one chunk holding its vector.
    public static func importTable(
        _ spec: PostgresTableImportSpec, into store: VecdStore, options: PostgresImportOptions,
        progress: (String) -> Void = { _ in }
    ) throws -> PostgresImportReport {
        let start = ContinuousClock.now
        try PostgresExportLayout.checkIdentifier(options.schema)
        let connection = try PostgresConnection(url: options.url)
        defer { connection.close() }
        guard let source = try PostgresImportSource.load(connection, schema: options.schema, name: spec.table) else {
            throw PostgresTransferError(.sourceMissing, "no table \(options.schema).\(spec.table)")
        }
        try source.require([spec.idColumn, spec.embeddingColumn] + (spec.textColumn.map { [$0] } ?? []))
        try source.require(spec.metadataColumns)
        let collection = spec.collection ?? spec.table
        let text = spec.textColumn.map { "coalesce(\"\($0)\"::text, '')" } ?? "''"
        let metadata =
            spec.metadataColumns.isEmpty
            ? "'{}'"
            : "jsonb_strip_nulls(jsonb_build_object("
                + spec.metadataColumns.map { "\(Self.literal($0)), \"\($0)\"" }.joined(separator: ", ") + "))::text"
        let id = "\"\(spec.idColumn)\"::text"
        let documents = PostgresImportMapping(
            source: source, target: ExportTable.named("documents")!,
            overrides: ["id": id, "collection": Self.literal(collection), "content": text, "metadata": metadata])
        let chunks = PostgresImportMapping(
            source: source, target: ExportTable.named("chunks")!,
            overrides: [
                "id": "NULL::bigint", "document_id": id, "chunk_index": "0", "content": text, "start_offset": "0",
                "end_offset": "char_length(\(text))", "metadata": "'{}'", "embedding": "\"\(spec.embeddingColumn)\"",
            ])
        let plans: [PostgresImportSession.Plan] = [
            .init(mapping: documents, orderBy: "\"\(spec.idColumn)\""),
            .init(mapping: chunks, orderBy: "\"\(spec.idColumn)\""),
        ]
        return try withoutActuallyEscaping(progress) { progress in
            let session = PostgresImportSession(
                store: store, connection: connection, options: options, progress: progress)
            try session.createDocumentCollections(plans)
            var report = PostgresImportReport(tables: [], seconds: 0)
            for plan in plans {
                report.tables.append((spec.table, plan.mapping.target.name, try session.run(plan)))
            }
            report.seconds = (ContinuousClock.now - start).seconds
            return report
        }
    }

    /// A SQL string literal.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
