import ArgumentParser
import Vecd

/// `vecd compact --data DIR`: merges each collection's segment files, dropping deleted rows.
struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Merge each collection's segment files into one, dropping deleted rows.",
        discussion: """
            When a vecd serve holds the data directory (DIR/vecd.server.json), asks it to compact through \
            POST /v1/admin/compact and prints its progress; otherwise takes the directory's lock (fails at once if \
            another process holds it) and compacts here. Prints one line per collection. Safe to run from cron or a \
            systemd timer (deploy/systemd/).
            """
    )

    @OptionGroup var store: StoreDirectoryOptions
    @OptionGroup var keys: ServerKeyOptions

    @Flag(help: "Also VACUUM the SQLite database (rewrites it; writes wait meanwhile).")
    var vacuum = false

    func run() throws {
        if let server = try ServerHandoff.find(data: store.data, keys: keys, command: "compact") {
            let report = try server.runOperation(
                "/v1/admin/compact", query: vacuum ? "vacuum=true" : "", as: CompactionWire.self)
            printSummary(collections: report.collections.count, droppedRows: report.collections.values.reduce(0) {
                $0 + $1.droppedRows
            })
            return
        }
        let opened = try store.open()
        do {
            let report = try opened.compact(vacuum: vacuum, progress: printProgress)
            printSummary(
                collections: report.collections.count,
                droppedRows: report.collections.values.reduce(0) { $0 + $1.droppedRows })
        } catch {
            printError("vecd compact: \(error)")
            throw ExitCode.failure
        }
    }

    private func printSummary(collections: Int, droppedRows: Int) {
        print("compacted \(collections) collections, dropped \(droppedRows) deleted rows")
    }

    /// The server's answer (`AdminMaintenanceRoutes.CompactionResponse`).
    struct CompactionWire: Decodable {
        struct Collection: Decodable {
            var droppedRows: Int
            enum CodingKeys: String, CodingKey { case droppedRows = "dropped_rows" }
        }
        var collections: [String: Collection]
    }
}
