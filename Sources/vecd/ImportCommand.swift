import ArgumentParser

/// `vecd import`: bring data from elsewhere into a data directory.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import into a data directory from PostgreSQL + pgvector.",
        subcommands: [ImportPostgresCommand.self]
    )
}
