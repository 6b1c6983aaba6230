import ArgumentParser
import Foundation
import VecdBench

/// `vecd bench retrieval`: recall@k of the store's vector, full-text and hybrid search on a text data set.
struct BenchRetrievalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "What the default store retrieves on real text: vector, full-text and hybrid recall@k and latency.",
        discussion: """
            Reads DIR/base.txt (one passage per line), DIR/queries.txt (one query per line) and DIR/gt.ivecs (per \
            query the true nearest passage rows, as in debian-384). Ingests every passage as a document of exactly \
            one chunk into a durable store in a scratch directory with the offline embedder, then runs each query \
            as a vector search, a full-text (FTS5 bm25) search and a hybrid search (reciprocal rank fusion) and \
            scores the top k against the first k truth ids: recall on all queries and on each half, p50/p99 \
            latency, ingest chunks/s. The scratch directory is removed afterwards.
            """
    )

    @Option(help: "Directory holding base.txt, queries.txt and gt.ivecs.") var data: String
    @Option(help: "Dimension of the offline embedder (default: the embedder's default).") var dimension: Int?
    @Option(help: "Use only the first N queries (default: all).") var queries: Int?
    @Option(help: "Results per query, and truth ids per query scored.") var k = 10
    @Option(help: "The store's efSearch for vector and hybrid search (default: the store's default).")
    var efSearch: Int?
    @Option(help: "Scratch directory for the store (default: a new one under the system's temporary directory).")
    var work: String?
    @Flag(help: "Print the report as JSON instead of a table.") var json = false

    func validate() throws {
        guard (1...1000).contains(k) else { throw ValidationError("--k must be in 1...1000") }
        if let queries, queries < 2 { throw ValidationError("--queries must be at least 2 (one per half)") }
        if let dimension, dimension < 64 { throw ValidationError("--dimension must be at least 64") }
        if let efSearch, !(1...1000).contains(efSearch) { throw ValidationError("--ef-search must be in 1...1000") }
    }

    func run() async throws {
        var loaded = try RetrievalData.load(directory: URL(fileURLWithPath: data), k: k)
        if let queries { loaded = loaded.firstQueries(queries) }
        let directory = URL(fileURLWithPath: work ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("vecd-bench-retrieval-\(UUID().uuidString)").path)
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("vecd.sqlite").path) {
            throw ValidationError("\(directory.path) already holds a store; give an empty or new --work directory")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let quiet = json
        let report = try await RetrievalBenchmark(data: loaded, dimension: dimension, k: k, efSearch: efSearch)
            .run(directory: directory) { line in
                // Progress goes to stderr when stdout carries the JSON.
                if quiet {
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                } else {
                    print(line)
                    fflush(nil)
                }
            }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("")
            print(report.table())
        }
    }
}
