// swift-tools-version:6.1
// A synchronous process that builds an HNSW index on one thread and runs queries, so that
// `valgrind --tool=callgrind` can count the walk's instructions (the `vecd` binary crashes valgrind 3.19 in
// libdispatch's signal thread). Usage: Benchmarks/callgrind/run.sh BASE.fvecs QUERIES.fvecs ROWS QUERY_COUNT EF
import PackageDescription

let package = Package(
    name: "walk-harness",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "walk-harness", dependencies: [.product(name: "VecdIndex", package: "vecd")],
            // The same kernel flag as the root package (Package.swift explains it).
            swiftSettings: [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
        )
    ]
)
