import ArgumentParser
import Foundation
import Vecd

/// `vecd restore --from BACKUP --data DIR`: brings a backup back into a new data directory.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made by 'vecd backup' into a new (or empty) data directory, then verify it."
    )

    @Option(help: "The backup directory.")
    var from: String

    @Option(help: "The data directory to create; must not exist or be empty.")
    var data: String

    func run() throws {
        do {
            try VecdStore.restore(from: URL(fileURLWithPath: from), to: URL(fileURLWithPath: data))
            print("restored \(from) into \(data); verify: ok")
        } catch {
            printError("vecd restore: \(error)")
            throw ExitCode.failure
        }
    }
}
