// swift-tools-version:6.1
// A synchronous process that builds an HNSW index on one thread and runs queries, so that
// `valgrind --tool=callgrind` can count the walk's instructions (the `vecd` binary crashes valgrind 3.19 in
// libdispatch's signal thread). The index's sources are linked in (Sources/* are symlinks to the repo's), so a
// checkout of any name builds it. Usage: Benchmarks/callgrind/run.sh BASE.fvecs QUERIES.fvecs ROWS QUERY_COUNT EF
import PackageDescription

// The same kernel flag as the root package (Package.swift explains it).
let settings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]

let package = Package(
    name: "walk-harness",
    dependencies: [.package(url: "https://github.com/apple/swift-numerics", from: "1.1.1")],
    targets: [
        .target(
            name: "VecdKernels",
            dependencies: ["CVecdPlatform", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: settings
        ),
        .target(name: "CVecdPlatform"),
        .target(name: "VecdIndex", dependencies: ["VecdKernels", "CVecdPlatform"], swiftSettings: settings),
        .executableTarget(name: "walk-harness", dependencies: ["VecdIndex"], swiftSettings: settings),
    ]
)
