import Foundation
import Testing
import Vecd
import VecdBench
import VecdIndex

#if canImport(Glibc)
    import Glibc
#endif

/// Store open time (cold and warm), resident memory and recall@10 against exact search, per storage mode, on
/// clustered synthetic vectors. Run on demand, release build:
/// `VECD_STORE_SEGMENT_BENCH=1 swift test -c release --disable-xctest --filter StoreSegmentBenchmarkTests`
/// (`VECD_STORE_SEGMENT_BENCH_ROWS`, default 100,000; 384 dimensions; `VECD_STORE_SEGMENT_BENCH_MODES`, default
/// all). Prints `figure` lines; asserts only that the reopened store answers like the one that was built.
@Suite(
    "Store segment figures", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["VECD_STORE_SEGMENT_BENCH"] == "1"))
struct StoreSegmentBenchmarkTests {
    static let rows = Int(ProcessInfo.processInfo.environment["VECD_STORE_SEGMENT_BENCH_ROWS"] ?? "") ?? 100_000
    static let dimension = 384
    static let queryCount = 100

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// This process's resident set size in bytes (`VmRSS`).
    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// Asks the kernel to drop every file of `directory` from the page cache (a cold open without root).
    static func evictFromPageCache(_ directory: URL) {
        let paths = (FileManager.default.subpaths(atPath: directory.path) ?? []).map { directory.path + "/" + $0 }
        for path in paths {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { continue }
            _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
            close(descriptor)
        }
    }

    /// `VECD_STORE_SEGMENT_BENCH_MODES` (e.g. `f32,int8`) picks the modes; all three by default.
    static let modes: [VectorStorageMode] =
        ProcessInfo.processInfo.environment["VECD_STORE_SEGMENT_BENCH_MODES"].map {
            $0.split(separator: ",").compactMap { VectorStorageMode(rawValue: String($0)) }
        } ?? VectorStorageMode.allCases

    @Test("open time, RSS and recall per storage mode", arguments: modes)
    func figures(mode: VectorStorageMode) async throws {
        let base = SyntheticVectors.clustered(rows: Self.rows, dimension: Self.dimension, seed: 0x5EED_0000)
        let queries = SyntheticVectors.clustered(rows: Self.queryCount, dimension: Self.dimension, seed: 0x5EED_0001)
        func row(_ matrix: VectorMatrix<Float>, _ index: Int) -> [Float] {
            Array(matrix.values[(index * matrix.dimension)..<((index + 1) * matrix.dimension)])
        }
        let exact = (0..<Self.queryCount).map { q in
            Self.exactNearest(row(queries, q), in: base, k: 10)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-segbench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = VecdStore.Configuration()
        configuration.indexFlushRowCount = Self.rows  // one segment file
        let buildStart = ContinuousClock.now
        var built: [[Int]] = []
        do {
            let store = try VecdStore(directory: directory, configuration: configuration)
            try store.createCollection(CollectionInfo(name: "bench", dimension: Self.dimension, storage: mode))
            for start in stride(from: 0, to: Self.rows, by: 1_000) {
                let documents = (start..<min(start + 1_000, Self.rows)).map { i in
                    DocumentInput(title: String(i), content: "row \(i)", vectors: [row(base, i)])
                }
                _ = try await store.ingest(documents, into: "bench")
            }
            print(
                "figure store_build_seconds mode=\(mode.rawValue) rows=\(Self.rows) "
                    + "value=\(Self.milliseconds(since: buildStart) / 1000)")
            built = try await Self.answers(store, queries)
        }
        let files = Self.byteCount(directory.appendingPathComponent("collections"))
        print("figure store_index_file_bytes mode=\(mode.rawValue) value=\(files)")
        for temperature in ["cold", "warm"] {
            if temperature == "cold" { Self.evictFromPageCache(directory) }
            let rssBefore = Self.residentBytes()
            let openStart = ContinuousClock.now
            let store = try VecdStore(directory: directory, configuration: configuration)
            let openMilliseconds = Self.milliseconds(since: openStart)
            let firstStart = ContinuousClock.now
            _ = try await store.searchChunks(.vector(row(queries, 0)), in: "bench", k: 10)
            let firstMilliseconds = Self.milliseconds(since: firstStart)
            let answers = try await Self.answers(store, queries)
            let rssAfter = Self.residentBytes()
            let recall =
                zip(answers, exact).reduce(0.0) { total, pair in
                    total + Double(Set(pair.0).intersection(pair.1).count) / 10
                } / Double(Self.queryCount)
            let stats = try store.stats().collections[0]
            print(
                "figure store_open mode=\(mode.rawValue) cache=\(temperature) open_ms=\(openMilliseconds) "
                    + "first_search_ms=\(firstMilliseconds) rss_growth_bytes=\(rssAfter - rssBefore) "
                    + "rss_bytes=\(rssAfter) recall_at_10=\(recall) ef_search=\(configuration.efSearch) "
                    + "segments=\(stats.segmentCount) rebuilt=\(stats.rebuildReason ?? "no")")
            #expect(answers == built)
            #expect(stats.rebuildReason == nil)
        }
    }

    static func answers(_ store: VecdStore, _ queries: VectorMatrix<Float>) async throws -> [[Int]] {
        var all: [[Int]] = []
        for q in 0..<queries.rows {
            let query = Array(queries.values[(q * queries.dimension)..<((q + 1) * queries.dimension)])
            let found = try await store.searchChunks(.vector(query), in: "bench", k: 10)
            all.append(found.hits.compactMap { Int($0.document.title) })
        }
        return all
    }

    /// The `k` nearest rows by cosine distance, computed exactly in Double.
    static func exactNearest(_ query: [Float], in base: VectorMatrix<Float>, k: Int) -> [Int] {
        let queryNorm = query.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        var scored: [(Double, Int)] = []
        scored.reserveCapacity(base.rows)
        base.values.withUnsafeBufferPointer { values in
            for row in 0..<base.rows {
                var dot = 0.0
                var norm = 0.0
                let offset = row * base.dimension
                for i in 0..<base.dimension {
                    let value = Double(values[offset + i])
                    dot += value * Double(query[i])
                    norm += value * value
                }
                scored.append((1 - dot / (norm.squareRoot() * queryNorm), row))
            }
        }
        return scored.sorted { $0 < $1 }.prefix(k).map(\.1)
    }

    static func byteCount(_ directory: URL) -> Int {
        (FileManager.default.subpaths(atPath: directory.path) ?? []).reduce(0) { total, name in
            total
                + ((try? FileManager.default.attributesOfItem(atPath: directory.path + "/" + name)[.size] as? Int) ?? 0)
        }
    }
}
