import ArgumentParser
import Foundation
import VecdBench

/// `vecd bench kernels`: nanoseconds per distance of each SIMD kernel, comparable with Benchmarks/reference (C).
struct BenchKernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Time the distance kernels: ns per distance, hot (in L1) and scanning 100,000 vectors.",
        discussion: """
            hot: the query and 4 cycled vectors in L1, best of 7 rounds; scan: contiguous vectors streamed from \
            memory, minimum of 11 rounds. Same protocol and data as Benchmarks/reference/bench_kernels.c, whose \
            run.sh prints the Swift/C ratios.
            """
    )

    @Option(help: "Comma-separated dimensions.") var dims = "384,1536,383"
    @Option(help: "Vectors in the scan measurement.") var rows = 100_000
    @Option(help: "Write the results as JSON to this path.") var json: String?

    var dimensionValues: [Int] { dims.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard !dimensionValues.isEmpty, dimensionValues.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--dims needs comma-separated positive integers")
        }
        guard rows >= 4 else { throw ValidationError("--rows must be at least 4") }
    }

    func run() throws {
        print("kernel         dim     hot ns    scan ns          check")
        let report = KernelTiming.measure(dimensions: dimensionValues, scanRows: rows) { result in
            let name = result.kernel.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            print(name + String(format: " %6d %10.2f %10.2f %14.6g", result.dimension,
                                result.hotNanoseconds, result.scanNanoseconds, result.check))
            fflush(nil)  // all streams: each line must show while the next kernel runs
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }
}
