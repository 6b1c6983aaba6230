// swift-tools-version:6.1
import PackageDescription

// The offline embedder's quality benchmark. A package of its own, so vecd's `swift build` and test suite never
// need /work/shared or the debian-384 data. Sources/VecdEmbed is a symbolic link to the real target (vecd does not
// export VecdEmbed as a product), so this measures exactly the shipped code; VecdKernels comes from vecd itself.
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
        .package(name: "vecd", path: "../..")
    ],
    targets: [
        // Renamed because target names must be unique across the package graph, and vecd already has a VecdEmbed.
        .target(
            name: "EmbedUnderTest", dependencies: [.product(name: "VecdKernels", package: "vecd")],
            path: "Sources/VecdEmbed", swiftSettings: speedFlags
        ),
        .executableTarget(name: "EmbedderEvaluation", dependencies: ["EmbedUnderTest"], swiftSettings: speedFlags),
    ]
)
