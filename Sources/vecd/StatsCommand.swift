import ArgumentParser
import Vecd

/// `vecd stats --data DIR`: per collection counts and file sizes.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print each collection's vector counts, segments, deleted rows and file sizes."
    )

    @OptionGroup var store: StoreDirectoryOptions

    func run() throws {
        let statistics: StoreStatistics
        do { statistics = try store.open().stats() } catch let error as ExitCode { throw error } catch {
            printError("vecd stats: \(error)")
            throw ExitCode.failure
        }
        print("database: \(statistics.databaseByteCount) bytes; pending index changes: \(statistics.pendingChanges)")
        for c in statistics.collections {
            print(
                "\(c.name): dimension \(c.dimension), \(c.storageMode), \(c.storedVectors) stored, "
                    + "\(c.indexedVectors) indexed, \(c.segmentCount) segments (\(c.segmentRows) rows, "
                    + "\(c.deletedRows) deleted), \(c.unflushedRows) unflushed, \(c.fileByteCount) bytes of index files"
                    + (c.rebuildReason.map { "; rebuilt at open: \($0)" } ?? "")
                    + (c.indexFailure.map { "; index failure: \($0)" } ?? ""))
        }
    }
}
