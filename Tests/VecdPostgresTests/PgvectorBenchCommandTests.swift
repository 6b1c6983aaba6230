import Foundation
import Testing
import VecdBench
import VecdKernels
import VecdPostgres
import VecdPgvectorBench

@Suite("vecd bench pgvector command body", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PgvectorBenchCommandTests {
    /// Writes TEXMEX rows: a little-endian Int32 count, then the row's 4-byte values.
    static func writeTexmex<T: FixedWidthInteger>(_ rows: [[T]], to path: String) throws {
        var bytes: [UInt8] = []
        for row in rows {
            withUnsafeBytes(of: Int32(row.count).littleEndian) { bytes.append(contentsOf: $0) }
            for value in row { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A directory with a small TEXMEX data set (base 1,500 × 8, 30 queries, exact top-10) and the options to run
    /// the ANN protocol on it.
    static func smallDataSet(_ directory: String) throws -> PgvectorBenchOptions {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = SyntheticVectors.clustered(rows: 1_500, dimension: 8, seed: 11)
        let queries = SyntheticVectors.clustered(rows: 30, dimension: 8, seed: 12)
        let truth = ExactNeighbors.compute(base: base, queries: queries, k: 10, metric: .cosine)
        try Self.writeTexmex((0..<base.rows).map { base.row($0).map(\.bitPattern) }, to: directory + "/base.fvecs")
        try Self.writeTexmex((0..<queries.rows).map { queries.row($0).map(\.bitPattern) }, to: directory + "/q.fvecs")
        try Self.writeTexmex((0..<truth.rows).map { Array(truth.row($0)) }, to: directory + "/gt.ivecs")
        var options = PgvectorBenchOptions(
            url: try #require(TestPostgres.url), basePath: directory + "/base.fvecs",
            queriesPath: directory + "/q.fvecs", truthPath: directory + "/gt.ivecs")
        options.table = TestPostgres.uniqueName("cmd")
        options.efSearchValues = [20, 100]
        options.warmupQueries = 5
        options.runChurn = false
        options.jsonPath = directory + "/out.json"
        return options
    }

    static func scratchDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vecd-pgbench-\(UUID().uuidString)").path
    }

    @Test("reads .fvecs/.ivecs files, runs both engines on the ANN protocol and writes the JSON report")
    func endToEnd() throws {
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = try Self.smallDataSet(directory)
        let printed = LineCollector()
        let output = try PgvectorBenchCommand.run(options, print: printed.print)
        #expect(output.churn == nil && output.vecdChurn == nil)
        #expect(output.ann?.rows.count == 2)
        #expect(output.ann?.baseRows == 1_500)
        let comparison = try #require(output.comparison)
        #expect(comparison.vecd.rows.map(\.efSearch) == [20, 100])
        #expect(comparison.vecd.baseRows == 1_500 && comparison.vecd.threads == 1)
        #expect(comparison.equalRecall.map(\.recall) == [0.90, 0.95])
        let lines = printed.lines
        #expect(lines.contains { $0.hasPrefix("recall | vecd QPS | pgvector QPS") })
        #expect(lines.last == "wrote \(directory)/out.json")

        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory + "/out.json")))
        let object = json as? [String: Any]
        let rows = (object?["ann"] as? [String: Any])?["rows"] as? [[String: Any]]
        #expect(rows?.first?["ef_search"] as? Int == 20)
        #expect((rows?.last?["recall"] as? Double ?? 0) >= 0.9)
        let written = object?["comparison"] as? [String: Any]
        #expect((written?["equal_recall"] as? [[String: Any]])?.count == 2)
        #expect(((written?["vecd"] as? [String: Any])?["rows"] as? [[String: Any]])?.count == 2)
        #expect((written?["pgvector_round_trip"] as? [String: Any])?["p50_ms"] != nil)
        #expect(object?["machine"] != nil)
    }

    @Test("--engines pgvector measures pgvector alone")
    func pgvectorAlone() throws {
        let directory = Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = try Self.smallDataSet(directory)
        options.includeVecd = false
        options.jsonPath = nil
        let output = try PgvectorBenchCommand.run(options) { _ in }
        #expect(output.comparison == nil)
        #expect(output.ann?.rows.map(\.efSearch) == [20, 100])
    }

    @Test("a missing data file is a clear error naming the file")
    func missingFile() throws {
        let options = PgvectorBenchOptions(
            url: try #require(TestPostgres.url), basePath: "/nonexistent/base.fvecs",
            queriesPath: "/nonexistent/q.fvecs",
            truthPath: "/nonexistent/gt.ivecs")
        let error = try #require(throws: VectorFileError.self) { try PgvectorBenchCommand.run(options) { _ in } }
        #expect(error.path == "/nonexistent/base.fvecs")
    }
}
