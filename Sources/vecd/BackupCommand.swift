import ArgumentParser
import Foundation
import Vecd

/// `vecd backup --data DIR --out DEST`: a consistent copy of the store.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the store (SQLite + index files) to a new directory.",
        discussion: """
            DEST must not exist or be empty. Bring it back with 'vecd restore --from DEST --data DIR'. When a vecd \
            serve holds the data directory, the server writes the copy (POST /v1/admin/backup), so DEST must be \
            writable by the server's user.
            """
    )

    @OptionGroup var store: StoreDirectoryOptions
    @OptionGroup var keys: ServerKeyOptions

    @Option(help: "The new directory to write the backup into.")
    var out: String

    /// The request and answer of `POST /v1/admin/backup`.
    struct BackupWire: Codable {
        var destination: String
    }

    func run() throws {
        if let server = try ServerHandoff.find(data: store.data, keys: keys, command: "backup") {
            // The server resolves nothing against the caller's working directory: send an absolute path.
            let destination = URL(fileURLWithPath: out).standardizedFileURL.path
            _ = try server.runOperation(
                "/v1/admin/backup", body: BackupWire(destination: destination), as: BackupWire.self)
            print("backup written to \(out)")
            return
        }
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
