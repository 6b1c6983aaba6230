import ArgumentParser

/// `vecd bench`: measurements that compare vecd with other engines on the same data.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Benchmarks: ANN recall and speed, recall under churn, low-RAM memory, data sets, distance kernels, "
            + "retrieval quality, store.",
        subcommands: [
            BenchANNCommand.self, BenchChurnCommand.self, BenchDatasetCommand.self, BenchFilteredCommand.self,
            BenchKernelsCommand.self, BenchLowRAMCommand.self, BenchPgvectorCommand.self, BenchRetrievalCommand.self,
            BenchStoreCommand.self,
        ]
    )
}

/// Refuses a numeric option outside `range` as an argument error (exit status 64), naming the option, so a bench
/// run with impossible sizes stops before it starts instead of trapping half-way.
func requireArgument(_ value: Int, in range: ClosedRange<Int>, _ option: String) throws {
    guard range.contains(value) else {
        throw ValidationError("\(option) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
    }
}
