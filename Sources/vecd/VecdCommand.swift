import ArgumentParser

@main
struct VecdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vecd",
        abstract: "An embedded vector engine and storage server.",
        subcommands: [ServeCommand.self, BenchCommand.self]
    )
}
