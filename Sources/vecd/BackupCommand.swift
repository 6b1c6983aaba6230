import ArgumentParser
import Foundation
import Vecd

/// `vecd backup --data DIR --out DEST`: a consistent copy of the store.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the store (SQLite + index files) to a new directory.",
        discussion: "DEST must not exist or be empty. Bring it back with 'vecd restore --from DEST --data DIR'."
    )

    @OptionGroup var store: StoreDirectoryOptions

    @Option(help: "The new directory to write the backup into.")
    var out: String

    func run() throws {
        let opened = try store.open()
        do {
            try opened.backup(to: URL(fileURLWithPath: out), progress: printProgress)
            print("backup written to \(out)")
        } catch {
            printError("vecd backup: \(error)")
            throw ExitCode.failure
        }
    }
}
