import Foundation
import Testing
import VecdBench
import VecdKernels

@Suite("vecd bench lowram and bench dataset (the real binary)")
struct BenchLowRAMCommandTests {
    @Test("one graph served as f32 (mapped) and int8 (low-RAM): f32 answers as in memory, int8 close with less memory")
    func lowRAM() throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = SyntheticVectors.clustered(rows: 1500, dimension: 16, clusters: 10, seed: 0x10_0000)
        let queries = SyntheticVectors.clustered(rows: 40, dimension: 16, clusters: 10, seed: 0x10_0001)
        let truth = ExactNeighbors.compute(base: base, queries: queries, k: 10, metric: .cosine)
        let path = { directory.appendingPathComponent($0).path }
        try VectorFile.writeFvecs(base, to: path("base.fvecs"))
        try VectorFile.writeFvecs(queries, to: path("query.fvecs"))
        try VectorFile.writeIvecs(truth, to: path("gt.ivecs"))
        let output = try VecdBinary.run([
            "bench", "lowram", "--base", path("base.fvecs"), "--queries", path("query.fvecs"), "--truth", path("gt.ivecs"),
            "--storage", "f32,int8", "--ef-search", "16,64", "--segment", path("index"), "--json", path("r.json"),
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let report = try JSONDecoder().decode(LowRAMReport.self, from: Data(contentsOf: URL(fileURLWithPath: path("r.json"))))
        #expect(report.inMemory.storage == "f32")
        #expect(report.mapped.map(\.storage) == ["f32", "int8"])
        #expect(report.mapped.map(\.rowAccess) == ["mapped", "pread"])
        let f32 = report.mapped[0]
        let int8 = report.mapped[1]
        #expect(f32.baseRows == 1500 && int8.baseRows == 1500)
        #expect(report.inMemory.rows.map(\.efSearch) == [16, 64])
        #expect(f32.rows.map(\.recall) == report.inMemory.rows.map(\.recall))
        #expect(int8.rows[1].recall >= 0.85)
        #expect(abs(int8.rows[1].recall - f32.rows[1].recall) <= 0.05)
        #expect(f32.memoryBytes == f32.heapBytes + f32.residentMappedBytes)
        #expect(int8.memoryBytes < f32.memoryBytes)
        #expect(int8.segmentFileBytes > 1500 * 16 * 5)
        #expect(int8.afterQueries.residentBytes > 0)
        #expect(int8.afterQueries.peakResidentBytes >= int8.afterQueries.residentBytes)
        #expect((report.inMemory.processPeakRSSBytes ?? 0) > 0)
    }

    @Test("grows a set with its neighbour distances and writes exact ground truth")
    func dataset() throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var source = SyntheticVectors.clustered(rows: 600, dimension: 16, clusters: 20, seed: 0x20_0000)
        for row in 0..<source.rows {
            source.values.withUnsafeMutableBufferPointer { _ = normalize($0.baseAddress! + row * 16, count: 16) }
        }
        let queries = SyntheticVectors.clustered(rows: 30, dimension: 16, clusters: 20, seed: 0x20_0001)
        let path = { directory.appendingPathComponent($0).path }
        try VectorFile.writeFvecs(source, to: path("source.fvecs"))
        try VectorFile.writeFvecs(queries, to: path("queries.fvecs"))
        let output = try VecdBinary.run([
            "bench", "dataset", "--base", path("source.fvecs"), "--queries", path("queries.fvecs"), "--rows", "3000",
            "--sample", "200", "--out", path("grown"),
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let grown = try VectorFile.readFloats(path("grown/base.fvecs"))
        let truth = try VectorFile.readInts(path("grown/gt.ivecs"))
        #expect(grown.rows == 3000 && grown.dimension == 16)
        #expect(truth.rows == 30 && truth.dimension == 10)
        // The file's truth is the exact top-10 over the grown set (Double oracle; float ties may swap a pair).
        let oracle = ExactNeighbors.compute(base: grown, queries: queries, k: 10, metric: .cosine)
        #expect(ExactNeighbors.recall(results: (0..<30).map { Array(truth.row($0)) }, truth: oracle, k: 10) >= 0.99)
        let check = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: path("grown/neighbor-distances.json")))) as? [String: Any]
        let ks = try #require(check?["base_nearest_ks"] as? Double)
        #expect(ks >= 0 && ks <= 1)
        #expect(output.stdout.contains("base→nearest  grown:"))
    }

    @Test("an unknown --method is refused before anything is written")
    func unknownMethod() throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("grown").path
        let output = try VecdBinary.run([
            "bench", "dataset", "--base", "missing.fvecs", "--queries", "missing.fvecs", "--rows", "10",
            "--method", "copies", "--out", out,
        ])
        #expect(output.status != 0)
        #expect(output.stderr.contains("--method must be one of interpolate, noisy-copies"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
