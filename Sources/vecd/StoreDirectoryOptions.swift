import ArgumentParser
import Foundation
import Vecd

/// `--data DIR` of the maintenance commands, which open an existing store themselves.
struct StoreDirectoryOptions: ParsableArguments {
    @Option(help: "The data directory of the store (holds vecd.sqlite and collections/).")
    var data: String

    /// Opens the store in `--data`, holding its writer lock until the store is released. A directory without a
    /// store is a usage error; another process holding the lock fails at once with a message naming it.
    func open(configuration: VecdStore.Configuration = VecdStore.Configuration()) throws -> VecdStore {
        let directory = URL(fileURLWithPath: data)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(VecdStore.databaseFileName).path)
        else {
            throw ValidationError("no vecd store in \(data) (no \(VecdStore.databaseFileName))")
        }
        do {
            return try VecdStore(directory: directory, configuration: configuration)
        } catch {
            printError("vecd: cannot open \(data): \(error)")
            throw ExitCode(2)
        }
    }
}

/// Prints one progress line: `[done/total] collection: step`.
@Sendable func printProgress(_ progress: MaintenanceProgress) {
    printLine(
        progressLine(
            collection: progress.collection, step: progress.step, number: progress.number, total: progress.total))
}

/// `[number/total] collection: step` (the collection's place among `total`, the same on its start and end lines),
/// or `store: step` for a store-wide step; the same whether the store runs here or in a server.
func progressLine(collection: String?, step: String, number: Int, total: Int) -> String {
    guard let collection, number > 0 else { return "\(collection ?? "store"): \(step)" }
    return "[\(number)/\(total)] \(collection): \(step)"
}

/// Writes `line` and a newline to standard output at once (unbuffered), so a reader sees it even if the process is
/// killed right after.
func printLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Writes `message` and a newline to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
