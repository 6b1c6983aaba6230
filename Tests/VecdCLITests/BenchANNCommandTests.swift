import Foundation
import Testing
import VecdBench
import VecdKernels

@Suite("vecd bench ann (the real binary)")
struct BenchANNCommandTests {
    @Test("reads .fvecs/.ivecs, prints a row per efSearch and writes the JSON report")
    func fileRun() throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = SyntheticVectors.clustered(rows: 1500, dimension: 16, clusters: 10, seed: 0xC11_0000)
        let queries = SyntheticVectors.clustered(rows: 50, dimension: 16, clusters: 10, seed: 0xC11_0001)
        let truth = ExactNeighbors.compute(base: base, queries: queries, k: 10, metric: .cosine)
        try VectorFile.writeFvecs(base, to: directory.appendingPathComponent("base.fvecs").path)
        try VectorFile.writeFvecs(queries, to: directory.appendingPathComponent("query.fvecs").path)
        try VectorFile.writeIvecs(truth, to: directory.appendingPathComponent("gt.ivecs").path)
        let json = directory.appendingPathComponent("report.json").path
        let output = try VecdBinary.run([
            "bench", "ann", "--base", directory.appendingPathComponent("base.fvecs").path,
            "--queries", directory.appendingPathComponent("query.fvecs").path,
            "--truth", directory.appendingPathComponent("gt.ivecs").path,
            "--ef-search", "16,64", "--threads", "2", "--json", json,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("ef_search   16"))
        #expect(output.stdout.contains("ef_search   64"))
        let report = try JSONDecoder().decode(ANNBenchmarkReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.rows.map(\.efSearch) == [16, 64])
        #expect(report.threads == 2)
        #expect(report.baseRows == 1500)
        #expect(report.memoryBytes > 1500 * 16 * 4)
        #expect(report.rows[1].recall >= 0.9)
        #expect(report.rows.allSatisfy { $0.qps > 0 && $0.p99Milliseconds >= $0.p50Milliseconds })
    }

    @Test("missing inputs and bad options exit non-zero with a message")
    func badArguments() throws {
        let missing = try VecdBinary.run(["bench", "ann", "--base", "/nonexistent/base.fvecs",
                                          "--queries", "/nonexistent/q.fvecs", "--truth", "/nonexistent/gt.ivecs"])
        #expect(missing.status != 0)
        #expect((missing.stdout + missing.stderr).contains("/nonexistent/base.fvecs"))
        let noData = try VecdBinary.run(["bench", "ann"])
        #expect(noData.status != 0)
        #expect(noData.stderr.contains("--generate"))
        let badMetric = try VecdBinary.run(["bench", "ann", "--generate", "100", "--metric", "manhattan"])
        #expect(badMetric.status != 0)
        let badM = try VecdBinary.run(["bench", "ann", "--generate", "100", "--m", "1", "--ef-search", "10"])
        #expect(badM.status != 0)
        #expect((badM.stdout + badM.stderr).contains("m must be in 2...100"))
    }

    @Test("a truncated .fvecs file is refused with the reason")
    func truncatedFile() throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.fvecs").path
        var bytes = Data()
        withUnsafeBytes(of: Int32(4).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [0, 0, 128, 63, 0, 0])  // one and a half floats
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: VectorFileError.self) { _ = try VectorFile.readFloats(path) }
        let output = try VecdBinary.run(["bench", "ann", "--base", path, "--queries", path, "--truth", path])
        #expect(output.status != 0)
        #expect((output.stdout + output.stderr).contains("not a multiple of the row size"))
    }
}
