// swift-tools-version:6.1
import PackageDescription

// The offline embedder's quality benchmark. A package of its own, so vecd's `swift build` and test suite never
// need /work/shared or the debian-384 data. Sources/VecdKernels and Sources/VecdEmbed are symbolic links to the
// real targets (vecd does not export VecdEmbed as a product), so this measures exactly the shipped code.
// Run: Benchmarks/embedder/evaluate.py (it builds this package in release mode and calls it).
#if arch(x86_64)
let speedFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]  // same kernels as vecd's release build
#else
let speedFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "embedder-evaluation",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1")
    ],
    targets: [
        .target(
            name: "VecdKernels", dependencies: [.product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: speedFlags
        ),
        .target(name: "VecdEmbed", dependencies: ["VecdKernels"], swiftSettings: speedFlags),
        .executableTarget(name: "EmbedderEvaluation", dependencies: ["VecdEmbed"], swiftSettings: speedFlags),
    ]
)
