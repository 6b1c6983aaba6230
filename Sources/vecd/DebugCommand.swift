import ArgumentParser
import Foundation
import Vecd
import VecdBench

/// `vecd debug`: hidden helpers for tests.
struct DebugCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug", abstract: "Helpers for vecd's own tests.", shouldDisplay: false,
        subcommands: [WriteLoadCommand.self, LoadVectorsCommand.self])
}

/// `vecd debug write-load --data DIR`: writes memories (and deletes some) until killed, printing each acknowledged
/// change as a flushed stdout line (`added ID`; `deleting ID` before a delete starts, `deleted ID` once done), for
/// the kill -9 crash test.
struct WriteLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-load", abstract: "Write memories until killed, printing each acknowledged id.")

    @OptionGroup var store: StoreDirectoryOptions

    @Option(help: "Vector dimension.")
    var dimension = 32

    @Option(help: "Index rows per segment flush (small, so that flushes happen under the load).")
    var flushRows = 40

    @Option(help: "Seed of the random vectors.")
    var seed: UInt64 = 1

    @Option(help: "Stop after this many memories (0: run until killed).")
    var count = 0

    mutating func run() async throws {
        var configuration = VecdStore.Configuration()
        configuration.indexFlushRowCount = flushRows
        configuration.indexBuildThreads = 1
        let directory = URL(fileURLWithPath: store.data)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let opened = try VecdStore(directory: directory, configuration: configuration)
        var generator = SeededGenerator(seed: seed)
        var added: [String] = []
        var written = 0
        while count == 0 || written < count {
            let vector = (0..<dimension).map { _ in generator.nextGaussian() }
            let result = try await opened.addMemory(
                MemoryInput(content: "memory \(seed)-\(written)", vector: vector))
            printLine("added \(result.memory.id)")
            added.append(result.memory.id)
            written += 1
            if written % 7 == 0, let victim = added.indices.randomElement(using: &generator) {
                let id = added.remove(at: victim)
                printLine("deleting \(id)")
                try opened.deleteMemory(id: id)
                printLine("deleted \(id)")
            }
        }
    }
}
