import ArgumentParser

@main
struct VecdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vecd",
        abstract: "An embedded vector engine and storage server.",
        subcommands: [
            ServeCommand.self, BenchCommand.self, ExportCommand.self, ImportCommand.self,
            CompactCommand.self, ReindexCommand.self, VerifyCommand.self, BackupCommand.self, RestoreCommand.self,
            StatsCommand.self, DebugCommand.self,
        ]
    )
}
