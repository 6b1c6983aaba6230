import ArgumentParser

/// `vecd export`: copy a data directory out to PostgreSQL + pgvector, live or as an SQL file.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a data directory to PostgreSQL + pgvector (seed-shaped tables, HNSW indexes).",
        subcommands: [ExportPostgresCommand.self, ExportSQLCommand.self]
    )
}
