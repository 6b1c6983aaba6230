import ArgumentParser
import Vecd

/// `vecd reindex --data DIR`: REINDEX, every graph rebuilt from the stored vectors.
struct ReindexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Rebuild every collection's index from scratch from the stored vectors (REINDEX).",
        discussion: """
            When a vecd serve holds the data directory, asks it to rebuild through POST /v1/admin/reindex; \
            otherwise takes the directory's lock. Prints one line per collection.
            """
    )

    @OptionGroup var store: StoreDirectoryOptions
    @OptionGroup var keys: ServerKeyOptions

    /// The server's answer (`{"done": true, "seconds": …}`).
    struct DoneWire: Decodable {
        var done: Bool
    }

    func run() throws {
        if let server = try ServerHandoff.find(data: store.data, keys: keys, command: "reindex") {
            _ = try server.runOperation("/v1/admin/reindex", as: DoneWire.self)
            print("reindexed")
            return
        }
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
