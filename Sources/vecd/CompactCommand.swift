import ArgumentParser
import Vecd

/// `vecd compact --data DIR`: merges each collection's segment files, dropping deleted rows.
struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Merge each collection's segment files into one, dropping deleted rows.",
        discussion: """
            Takes the data directory's lock (fails at once if a server or another command holds it), merges, and \
            prints one line per collection. Safe to run from cron or a systemd timer (deploy/systemd/).
            """
    )

    @OptionGroup var store: StoreDirectoryOptions

    @Flag(help: "Also VACUUM the SQLite database (rewrites it; writes wait meanwhile).")
    var vacuum = false

    func run() throws {
        let opened = try store.open()
        do {
            let report = try opened.compact(vacuum: vacuum, progress: printProgress)
            let dropped = report.collections.values.reduce(0) { $0 + $1.droppedRows }
            print("compacted \(report.collections.count) collections, dropped \(dropped) deleted rows")
        } catch {
            printError("vecd compact: \(error)")
            throw ExitCode.failure
        }
    }
}
