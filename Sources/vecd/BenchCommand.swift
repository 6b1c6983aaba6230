import ArgumentParser

/// `vecd bench`: measurements that compare vecd with other engines on the same data.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: ANN recall and speed, distance kernels.",
        subcommands: [BenchANNCommand.self, BenchFilteredCommand.self, BenchKernelsCommand.self, BenchPgvectorCommand.self]
    )
}
