import ArgumentParser
import Foundation
import Vecd
import VecdServer

/// `vecd restore --from BACKUP --data DIR`: brings a backup back into a new data directory.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made by 'vecd backup' into a new (or empty) data directory, then verify it.",
        discussion: """
            A directory that a running vecd serve holds is refused (exit 2), naming the server: stop it, restore \
            into a new directory, and start the server on that one.
            """
    )

    @Option(help: "The backup directory.")
    var from: String

    @Option(help: "The data directory to create; must not exist or be empty.")
    var data: String

    func run() throws {
        let destination = URL(fileURLWithPath: data)
        // Checked first so the message names the server rather than a non-empty directory: a store cannot be
        // replaced under the process serving it.
        if let server = ServerAddressFile.read(in: destination) {
            printError(
                "vecd restore: \(data) is held by the running server at \(server.url) (process \(server.pid)); "
                    + "a backup cannot be restored under it: stop the server, or restore into a new directory "
                    + "and start the server there")
            throw ExitCode(2)
        }
        do {
            try VecdStore.restore(from: URL(fileURLWithPath: from), to: destination)
            print("restored \(from) into \(data); verify: ok")
        } catch {
            printError("vecd restore: \(error)")
            throw ExitCode.failure
        }
    }
}
