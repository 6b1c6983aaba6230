import ArgumentParser
import Foundation
import Vecd
import VecdBench
import VecdIndex

/// `vecd debug load-vectors --data DIR --base FILE`: fills a collection of a data directory with the rows of an
/// `.fvecs`/`.npy` file through the store's own ingestion (the code behind `POST /v1/collections/{name}/documents`,
/// without HTTP and JSON), then compacts, so that `vecd serve` over DIR opens one segment file and re-applies
/// nothing. For measuring a loaded server (BENCHMARKS.md §9); documents are `row-N` with one chunk each.
struct LoadVectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-vectors", abstract: "Load an .fvecs file into a collection, one document per row.")

    @OptionGroup var store: StoreDirectoryOptions

    @Option(help: "The vectors (.fvecs or .npy, Float32).")
    var base: String

    @Option(help: "Rows to load from the start of the file (default: all).")
    var rows: Int?

    @Option(help: "The collection to create.")
    var collection = "load"

    @Option(help: "Vector storage of the graph walk: f32, f16 or int8.")
    var storage = "f32"

    @Option(help: "Documents per ingestion (one transaction each).")
    var batch = 1_000

    func validate() throws {
        guard VectorStorageMode(rawValue: storage) != nil else {
            throw ValidationError("--storage must be f32, f16 or int8, got \(storage)")
        }
        guard batch >= 1 && batch <= VecdStore.maxDocumentsPerIngestion else {
            throw ValidationError("--batch must be in 1...\(VecdStore.maxDocumentsPerIngestion)")
        }
    }

    func run() async throws {
        let vectors = try VectorFile.readFloats(base)
        let count = min(rows ?? vectors.rows, vectors.rows)
        let directory = URL(fileURLWithPath: store.data)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = VecdStore.Configuration()
        // One flush at the end instead of one per 50,000 rows: the compaction below then has nothing to merge.
        configuration.indexFlushRowCount = max(count, 1)
        let opened = try VecdStore(directory: directory, configuration: configuration)
        _ = try opened.createCollection(
            CollectionInfo(
                name: collection, dimension: vectors.dimension, storage: VectorStorageMode(rawValue: storage)!))
        let clock = ContinuousClock()
        let start = clock.now
        var loaded = 0
        while loaded < count {
            let end = min(loaded + batch, count)
            let documents = (loaded..<end).map { row in
                DocumentInput(
                    id: "row-\(row)", title: "row \(row)", content: "row \(row)",
                    vectors: [Array(vectors.row(row))])
            }
            let result = try await opened.ingest(documents, into: collection, chunking: .wholeDocument)
            guard result.job.errors.isEmpty else {
                printError("vecd debug load-vectors: rows \(loaded)..<\(end): \(result.job.errors)")
                throw ExitCode.failure
            }
            loaded = end
            if loaded % 10_000 == 0 || loaded == count {
                printLine(String(format: "%d rows in %.1f s", loaded, (clock.now - start).seconds))
            }
        }
        let compaction = try opened.compact(progress: printProgress)
        printLine(
            "loaded \(count) x \(vectors.dimension) (\(storage)) into \(collection) in "
                + String(format: "%.1f s", (clock.now - start).seconds)
                + "; \(compaction.collections.count) collections compacted")
    }
}
