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
