import ArgumentParser
import Vecd

/// `vecd reindex --data DIR`: REINDEX, every graph rebuilt from the stored vectors.
struct ReindexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Rebuild every collection's index from scratch from the stored vectors (REINDEX).",
        discussion: "Takes the data directory's lock and prints one line per collection."
    )

    @OptionGroup var store: StoreDirectoryOptions

    func run() throws {
        let opened = try store.open()
        do {
            try opened.reindex(progress: printProgress)
            print("reindexed")
        } catch {
            printError("vecd reindex: \(error)")
            throw ExitCode.failure
        }
    }
}
