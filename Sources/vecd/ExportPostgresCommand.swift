import ArgumentParser
import Foundation
import VecdPostgres

/// `vecd export postgres`: a data directory into a live PostgreSQL, incrementally after the first run.
struct ExportPostgresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Export a data directory into PostgreSQL + pgvector; later runs send only what changed.",
        discussion: """
            Creates documents, document_chunks, ai_memories, user_memories, preferences, ai_feedback, training_data \
            and response_cache in --schema (vector(n) follows each collection's dimension), loads them with binary \
            COPY, builds HNSW indexes and checks the row counts, all in one transaction. The target remembers the \
            last change it received (table vecd_export_state), so the next run sends only the rows inserted, \
            updated or deleted since. See docs/pgvector.md.
            """
    )

    @Option(help: "The vecd data directory.") var data: String
    @Option(help: "libpq URL of the target, e.g. postgres://user@host:5432/db") var url: String
    @Option(help: "Target schema (created when missing).") var schema = "public"
    @Option(help: "HNSW links per node (pgvector default).") var m = 16
    @Option(help: "HNSW candidate list size while building (pgvector default).") var efConstruction = 64
    @Option(help: "Index build processes (1 + max_parallel_maintenance_workers).") var threads = 1
    @Flag(help: "Send everything again, even when an incremental export is possible.") var full = false
    @Flag(help: "Drop existing tables of the same names that this store did not write.") var replace = false

    func validate() throws {
        guard (2...100).contains(m) else { throw ValidationError("--m must be in 2...100 (pgvector's range)") }
        guard (4...1000).contains(efConstruction), efConstruction >= 2 * m else {
            throw ValidationError("--ef-construction must be in 4...1000 and at least 2 × m (pgvector's rule)")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var options = PostgresExportOptions(url: url)
        options.schema = schema
        options.index = PgvectorIndexSettings(m: m, efConstruction: efConstruction, parallelWorkers: threads - 1)
        options.full = full
        options.replace = replace
        let report = try PostgresExporter.export(directory: URL(fileURLWithPath: data), options: options) { line in
            print(line)
            fflush(nil)  // progress must show while a long COPY or index build runs
        }
        print(
            "\(report.mode.rawValue) export done in " + String(format: "%.2f s", report.seconds)
                + ", current up to change \(report.lastChangeSequence)")
    }
}
