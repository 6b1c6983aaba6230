import ArgumentParser
import Foundation
import Vecd
import VecdKernels
import VecdPostgres

/// `vecd import postgres`: one pgvector table, or a whole seed-shaped schema, into a data directory.
struct ImportPostgresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Import a pgvector table, or every seed-shaped table of a schema, into a data directory.",
        discussion: """
            With --table: each row becomes a document with one chunk holding its vector (--id-column and \
            --embedding-column required). Without it: every table of --schema that vecd knows is imported — vecd's \
            own export, seed 001 (ai_kb_documents, ai_memories, ai_feedback), seed 004 (documents, \
            document_chunks, user_memories) and seed 002 (preferences, training_data, response_cache). \
            Ids, vectors (bit-identical), metadata and timestamps are kept. See docs/pgvector.md.
            """
    )

    @Option(help: "The vecd data directory (created when missing).") var data: String
    @Option(help: "libpq URL of the source, e.g. postgres://user@host:5432/db") var url: String
    @Option(help: "Source schema.") var schema = "public"
    @Option(help: "One table to import as documents.") var table: String?
    @Option(help: "With --table: the id column (any type; stored as text).") var idColumn: String?
    @Option(help: "With --table: the pgvector column.") var embeddingColumn: String?
    @Option(help: "With --table: the column holding each document's text.") var textColumn: String?
    @Option(help: "With --table: comma-separated columns kept as metadata.") var metadataColumns: String?
    @Option(help: "With --table: the collection to fill (default: the table's name).") var collection: String?
    @Option(help: "Metric of created collections: cosine, dot or l2.") var metric = "cosine"
    @Option(help: "Rows per store transaction.") var batchRows = 5_000

    var metadataList: [String] {
        (metadataColumns ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    func validate() throws {
        guard DistanceMetric(rawValue: metric) != nil else {
            throw ValidationError("--metric must be cosine, dot or l2")
        }
        guard batchRows >= 1 else { throw ValidationError("--batch-rows must be at least 1") }
        if table != nil {
            guard idColumn != nil, embeddingColumn != nil else {
                throw ValidationError("--table needs --id-column and --embedding-column")
            }
        } else if idColumn != nil || embeddingColumn != nil || textColumn != nil || metadataColumns != nil {
            throw ValidationError("--id-column, --embedding-column, --text-column and --metadata-columns need --table")
        }
    }

    func run() throws {
        var options = PostgresImportOptions(url: url)
        options.schema = schema
        options.batchRows = batchRows
        options.metric = DistanceMetric(rawValue: metric) ?? .cosine
        let store = try VecdStore(directory: URL(fileURLWithPath: data))
        let progress: (String) -> Void = { line in
            print(line)
            fflush(nil)
        }
        let report: PostgresImportReport
        if let table, let idColumn, let embeddingColumn {
            let spec = PostgresTableImportSpec(
                table: table, idColumn: idColumn, embeddingColumn: embeddingColumn, textColumn: textColumn,
                metadataColumns: metadataList, collection: collection)
            report = try PostgresImporter.importTable(spec, into: store, options: options, progress: progress)
        } else {
            report = try PostgresImporter.importSchema(into: store, options: options, progress: progress)
        }
        let rows = report.tables.reduce(0) { $0 + $1.rows }
        print("imported \(rows) rows in " + String(format: "%.2f s", report.seconds))
    }
}
