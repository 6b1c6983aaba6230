// swift-tools-version:6.1
import PackageDescription

// The micro-benchmarks live in their own package so that `swift build` of vecd never resolves ordo-one/benchmark.
// Run: cd Benchmarks && swift package --disable-sandbox benchmark
#if arch(x86_64)
let speedFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]  // same kernels as vecd's release build
#else
let speedFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "vecd-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "vecd", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "VecdKernels", package: "vecd"),
            ],
            path: "Benchmarks/KernelBenchmarks",
            swiftSettings: speedFlags,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "IndexBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "VecdIndex", package: "vecd"),
            ],
            path: "Benchmarks/IndexBenchmarks",
            swiftSettings: speedFlags,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
