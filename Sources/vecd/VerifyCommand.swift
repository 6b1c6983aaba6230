import ArgumentParser
import Foundation
import Vecd

/// `vecd verify --data DIR`: checks SQLite, every index file and their agreement; exit 1 on damage.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check SQLite, every index file and that they agree; exit 1 on damage.",
        discussion: """
            Reads every byte of every segment and bitmap under its checksum, runs SQLite's integrity check, and \
            compares each index with the stored vectors, rows only in a write-ahead log or the change log included. \
            Without a server it is read-only: it changes no file of the store (repairs belong to vecd reindex), and \
            a missing or damaged index file is named and exits 1. When a vecd serve holds the data directory, the \
            server checks its live store (GET /v1/admin/verify) and the report and exit code are the same; index \
            files it found damaged at open and rebuilt from SQLite are reported as damage too.
            """
    )

    @OptionGroup var store: StoreDirectoryOptions
    @OptionGroup var keys: ServerKeyOptions

    func run() throws {
        let summary: VerifySummary
        if let server = try ServerHandoff.find(data: store.data, keys: keys, command: "verify") {
            summary = VerifySummary(try server.get("/v1/admin/verify", as: VerifySummary.Wire.self))
        } else {
            // Read-only: the check opens nothing for writing and changes no file of the store it checks.
            do {
                let (report, statistics) = try VecdStore.verifyFiles(in: URL(fileURLWithPath: store.data))
                summary = VerifySummary(report: report, statistics: statistics)
            } catch {
                printError("vecd verify: \(error)")
                throw ExitCode.failure
            }
        }
        for line in summary.lines { print(line) }
        if summary.isDamaged { throw ExitCode.failure }
    }
}

/// What `vecd verify` prints, from the store opened here or from a server's `GET /v1/admin/verify`.
struct VerifySummary {
    struct Collection {
        var name: String
        var storedVectors: Int
        var indexedVectors: Int
        var segments: Int
        var problem: String?
        var rebuildReason: String?
        /// Rebuilt by a reindex since the store opened: a fresh index, reported on its own line, never as damage.
        var reindexed: Bool
    }

    var integrity: String
    var consistent: Bool
    var collections: [Collection]
    var orphanVectors: Int
    var rowsWithoutVector: Int

    /// Damage: the store is inconsistent, or an index had to be rebuilt from SQLite because its files were unusable.
    var isDamaged: Bool { !consistent || collections.contains { $0.rebuildReason != nil } }

    var lines: [String] {
        var lines = ["sqlite integrity: \(integrity)"]
        for collection in collections {
            var line =
                "\(collection.name): \(collection.storedVectors) stored, \(collection.indexedVectors) indexed, "
                + "\(collection.segments) segments"
            if let problem = collection.problem { line += ": DAMAGED: \(problem)" }
            if let reason = collection.rebuildReason {
                line += ": index files were unusable and were rebuilt from SQLite: \(reason)"
            }
            lines.append(line)
            if collection.reindexed { lines.append("\(collection.name): index rebuilt by reindex (on request)") }
        }
        if orphanVectors > 0 { lines.append("vectors without an owning row: \(orphanVectors)") }
        if rowsWithoutVector > 0 { lines.append("rows without a vector: \(rowsWithoutVector)") }
        lines.append(isDamaged ? "verify: DAMAGE FOUND" : "verify: ok")
        return lines
    }

    init(report: ConsistencyReport, statistics: StoreStatistics) {
        integrity = report.integrity
        consistent = report.isConsistent
        collections = statistics.collections.map {
            Collection(
                name: $0.name, storedVectors: $0.storedVectors, indexedVectors: $0.indexedVectors,
                segments: $0.segmentCount, problem: report.indexProblems[$0.name], rebuildReason: $0.rebuildReason,
                reindexed: $0.reindexed)
        }
        orphanVectors = report.orphanVectors
        rowsWithoutVector = report.rowsWithoutVector
    }

    init(_ wire: Wire) {
        integrity = wire.integrity
        consistent = wire.consistent
        collections = wire.collections.map {
            Collection(
                name: $0.name, storedVectors: $0.storedVectors, indexedVectors: $0.indexedVectors,
                segments: $0.segments, problem: wire.indexProblems[$0.name], rebuildReason: $0.rebuildReason,
                reindexed: $0.reindexed ?? false)
        }
        orphanVectors = wire.orphanVectors
        rowsWithoutVector = wire.rowsWithoutVector
    }

    /// The server's answer (`AdminRoutes.VerifyResponse`).
    struct Wire: Decodable {
        struct Collection: Decodable {
            var name: String
            var storedVectors: Int
            var indexedVectors: Int
            var segments: Int
            var rebuildReason: String?
            var reindexed: Bool?

            enum CodingKeys: String, CodingKey {
                case name, segments, reindexed
                case storedVectors = "stored_vectors"
                case indexedVectors = "indexed_vectors"
                case rebuildReason = "rebuild_reason"
            }
        }

        var consistent: Bool
        var integrity: String
        var orphanVectors: Int
        var rowsWithoutVector: Int
        var indexProblems: [String: String]
        var collections: [Collection]

        enum CodingKeys: String, CodingKey {
            case consistent, integrity, collections
            case orphanVectors = "orphan_vectors"
            case rowsWithoutVector = "rows_without_vector"
            case indexProblems = "index_problems"
        }
    }
}
