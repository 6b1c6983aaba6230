import ArgumentParser
import Foundation
import VecdBench
import VecdEmbed

/// `vecd bench store`: the store's own figures — start-up, ingest rate, search and cache latency.
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store figures: temporary-store start-up, ingest chunks/s, hybrid/full-text/vector search and cache latency.",
        discussion: """
            Ingests a seeded synthetic corpus (Zipf-like words, 20 chunks per document) with the offline embedder into \
            a durable store in a scratch directory, re-opens it (a restart), then times single-client hybrid, \
            full-text and vector searches (k=10) and exact and semantic cache lookups after a warm-up. The scratch \
            directory is removed afterwards unless --keep is given.
            """
    )

    @Option(help: "Chunks to ingest.") var chunks = 100_000
    @Option(help: "Dimension of the offline embedder.") var dimension = HashingEmbedder.defaultDimension
    @Option(help: "Timed queries per kind.") var queries = 200
    @Option(help: "Scratch directory for the store (default: a new one under the system's temporary directory).")
    var work: String?
    @Flag(help: "Keep the scratch store.") var keep = false
    @Option(help: "Write the report as JSON to this path.") var json: String?

    func validate() throws {
        guard chunks >= 20, queries >= 1, dimension >= 64 else {
            throw ValidationError("--chunks must be at least 20, --queries at least 1, --dimension at least 64")
        }
    }

    func run() async throws {
        let directory = URL(fileURLWithPath: work ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("vecd-bench-store-\(UUID().uuidString)").path)
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("vecd.sqlite").path) {
            throw ValidationError("\(directory.path) already holds a store; give an empty or new --work directory")
        }
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
        let benchmark = StoreBenchmark(chunkCount: chunks, dimension: dimension, queryCount: queries)
        let report = try await benchmark.run(directory: directory) { line in
            print(line)
            fflush(nil)
        }
        print(String(format: "store directory %.1f MiB for %d chunks", Double(report.directoryBytes) / 1_048_576,
                     report.chunks))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }
}
