import ArgumentParser
import Vecd
import VecdServer

/// `vecd stats --data DIR`: per collection counts and file sizes, from the store opened here or, when a `vecd serve`
/// holds DIR, from its `GET /v1/admin/stats`.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print each collection's vector counts, segments, deleted rows and file sizes.",
        discussion: """
            When a vecd serve holds the data directory, the figures come from the server's live store \
            (GET /v1/admin/stats, admin key) and the output and exit codes are the same.
            """
    )

    @OptionGroup var store: StoreDirectoryOptions
    @OptionGroup var keys: ServerKeyOptions

    /// The part of the server's stats answer that this command prints.
    private struct ServerStats: Decodable {
        var index: StoreStatisticsWire
    }

    func run() throws {
        let statistics: StoreStatisticsWire
        if let server = try ServerHandoff.find(data: store.data, keys: keys, command: "stats") {
            statistics = try server.get("/v1/admin/stats", as: ServerStats.self).index
        } else {
            do { statistics = StoreStatisticsWire(try store.open().stats()) } catch let error as ExitCode {
                throw error
            } catch {
                printError("vecd stats: \(error)")
                throw ExitCode.failure
            }
        }
        for line in Self.lines(statistics) { print(line) }
    }

    /// The report, one line for the store and one per collection.
    static func lines(_ statistics: StoreStatisticsWire) -> [String] {
        ["database: \(statistics.databaseBytes) bytes; pending index changes: \(statistics.pendingChanges)"]
            + statistics.collections.map { c in
                "\(c.name): dimension \(c.dimension), \(c.storage), \(c.storedVectors) stored, "
                    + "\(c.indexedVectors) indexed, \(c.segments) segments (\(c.segmentRows) rows, "
                    + "\(c.deletedRows) deleted), \(c.unflushedRows) unflushed, \(c.fileBytes) bytes of index files"
                    + (c.rebuildReason.map { "; rebuilt at open: \($0)" } ?? "")
                    + (c.indexFailure.map { "; index failure: \($0)" } ?? "")
            }
    }
}
