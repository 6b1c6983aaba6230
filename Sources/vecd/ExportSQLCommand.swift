import ArgumentParser
import Foundation
import VecdPostgres

/// `vecd export sql`: a data directory as one SQL file for `psql -f`.
struct ExportSQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Write a data directory as an SQL file that psql loads into PostgreSQL + pgvector.",
        discussion: """
            The same tables, rows and HNSW indexes as `vecd export postgres`, as text COPY blocks in one \
            transaction. Load with: psql -v ON_ERROR_STOP=1 -f FILE. Vectors are bit-identical once loaded.
            """
    )

    @Option(help: "The vecd data directory.") var data: String
    @Option(help: "The SQL file to write (replaced when it exists).") var out: String
    @Option(help: "Target schema.") var schema = "public"
    @Option(help: "HNSW links per node (pgvector default).") var m = 16
    @Option(help: "HNSW candidate list size while building (pgvector default).") var efConstruction = 64

    func validate() throws {
        guard (2...100).contains(m) else { throw ValidationError("--m must be in 2...100 (pgvector's range)") }
        guard (4...1000).contains(efConstruction), efConstruction >= 2 * m else {
            throw ValidationError("--ef-construction must be in 4...1000 and at least 2 × m (pgvector's rule)")
        }
    }

    func run() throws {
        let report = try SQLFileExporter.export(
            directory: URL(fileURLWithPath: data), to: out, schema: schema,
            index: PgvectorIndexSettings(m: m, efConstruction: efConstruction)
        ) { line in print(line) }
        print("wrote \(out): \(report.byteCount) bytes in " + String(format: "%.2f s", report.seconds))
    }
}
