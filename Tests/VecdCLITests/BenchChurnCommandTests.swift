import Foundation
import Testing
import VecdBench

@Suite("vecd bench churn (the real binary)")
struct BenchChurnCommandTests {
    /// The part of `--json` this test reads (the pgvector side is absent without --pgvector-url).
    struct Output: Decodable {
        var vecd: ChurnReport
    }

    @Test("runs the churn protocol through a collection and reports recall before and after compaction")
    func generatedRun() throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("churn.json").path
        let output = try VecdBinary.run([
            "bench", "churn", "--generate", "1200", "--dimension", "16", "--query-count", "40",
            "--ef-search", "10,20,40,80", "--warmup", "5", "--flush-rows", "500", "--threads", "2",
            "--scratch", directory.path, "--json", json,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("vecd churn at ef_search"))
        let report = try JSONDecoder().decode(Output.self, from: Data(contentsOf: URL(fileURLWithPath: json))).vecd
        #expect(report.baseRows == 1200)
        #expect(report.deletedRows == 360)
        #expect(report.liveRows == 840)
        #expect(report.insertBatchRows == 1000)
        #expect(report.targetReached)
        #expect(report.fresh.recall >= 0.90)
        #expect(report.targetEfSearch >= 10 && report.targetEfSearch <= 80)
        #expect(report.freshSweep.contains { $0.efSearch == report.targetEfSearch })
        for row in [report.fresh, report.churned, report.flushed, report.compacted] {
            #expect(row.efSearch == report.targetEfSearch)
            #expect(row.recall > 0.5 && row.recall <= 1)
            #expect(row.p99Milliseconds >= row.p50Milliseconds)
        }
        // Two flushed parts (the first half, the inserts) with deletions, merged into one segment.
        #expect(report.segmentsBeforeCompaction == 2)
        #expect(report.deletedSegmentRowsBeforeCompaction == 360)
        #expect(report.segmentsAfterCompaction == 1)
        #expect(report.idleLatency.queries >= 1000)
        #expect(report.duringCompactionLatency.queries >= 1)
        #expect(report.p99RatioDuringCompaction > 0)
        // The scratch collections are removed afterwards.
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(left == ["churn.json"])
    }

    @Test("refuses a missing data source and a metric pgvector cannot compare")
    func badArguments() throws {
        let noData = try VecdBinary.run(["bench", "churn"])
        #expect(noData.status != 0)
        #expect(noData.stderr.contains("--generate"))
        let dotWithPostgres = try VecdBinary.run([
            "bench", "churn", "--generate", "100", "--metric", "dot", "--pgvector-url", "postgres:///x",
        ])
        #expect(dotWithPostgres.status != 0)
        #expect(dotWithPostgres.stderr.contains("cosine"))
    }
}
