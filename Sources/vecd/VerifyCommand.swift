import ArgumentParser
import Vecd

/// `vecd verify --data DIR`: checks SQLite, every index file and their agreement; exit 1 on damage.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check SQLite, every index file and that they agree; exit 1 on damage.",
        discussion: """
            Reads every byte of every segment and bitmap under its checksum, runs SQLite's integrity check, and \
            compares each index with the stored vectors. Index files found damaged when the store opened are \
            rebuilt from SQLite (the source of truth) and reported here as damage: the exit code is then 1 too.
            """
    )

    @OptionGroup var store: StoreDirectoryOptions

    func run() throws {
        let opened = try store.open()
        let report: ConsistencyReport
        let statistics: StoreStatistics
        do {
            report = try opened.verify()
            statistics = try opened.stats()
        } catch {
            printError("vecd verify: \(error)")
            throw ExitCode.failure
        }
        var damaged = !report.isConsistent
        print("sqlite integrity: \(report.integrity)")
        for collection in statistics.collections {
            var line =
                "\(collection.name): \(collection.storedVectors) stored, \(collection.indexedVectors) indexed, "
                + "\(collection.segmentCount) segments"
            if let problem = report.indexProblems[collection.name] { line += ": DAMAGED: \(problem)" }
            if let reason = collection.rebuildReason {
                line += ": index files were unusable and were rebuilt from SQLite: \(reason)"
                damaged = true
            }
            print(line)
        }
        if report.orphanVectors > 0 { print("vectors without an owning row: \(report.orphanVectors)") }
        if report.rowsWithoutVector > 0 { print("rows without a vector: \(report.rowsWithoutVector)") }
        print(damaged ? "verify: DAMAGE FOUND" : "verify: ok")
        if damaged { throw ExitCode.failure }
    }
}
