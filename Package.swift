// swift-tools-version:6.1
import PackageDescription

// Kernel speed on x86-64: a plain `swift build -c release` targets baseline x86-64 (SSE2), where the
// distance loops run ~2.5x slower. x86-64-v3 (AVX2 + FMA + F16C) is the portable server baseline: every
// x86-64 host we support has it, unlike AVX-512 (building with -march=native dies with SIGILL on AVX2-only
// hosts). `-Xcc -march=` also drives Swift's code generation through the Clang importer.
// SwiftPM ignores unsafe flags of a versioned dependency; an app embedding vecd adds
// `-Xcc -march=x86-64-v3` itself (README, "Embedding"). The kernels stay correct and vectorized without it.
#if arch(x86_64)
let speedFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
#else
let speedFlags: [SwiftSetting] = []  // aarch64: NEON is baseline, no flag needed.
#endif

let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
let settings = strictness + speedFlags

let package = Package(
    name: "vecd",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "VecdKernels", targets: ["VecdKernels"]),
        .library(name: "VecdIndex", targets: ["VecdIndex"]),
        .library(name: "Vecd", targets: ["Vecd"]),
        .library(name: "VecdServer", targets: ["VecdServer"]),
        .library(name: "VecdClient", targets: ["VecdClient"]),
        .executable(name: "vecd", targets: ["vecd"]),
    ],
    dependencies: [
        // Relaxed.multiplyAdd lets LLVM reassociate and vectorize the distance loops on every target.
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        // The CLI shell; only the `vecd` executable imports it.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The HTTP server: SwiftNIO underneath, async/await handlers, small. Only VecdServer imports it; the
        // swift-configuration trait is off because `vecd serve` reads its own flags, environment and file.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        // Structured logs; the logging API Hummingbird and SwiftNIO already speak.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Graceful shutdown on SIGTERM (drain, then flush); Hummingbird runs on it already.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "VecdKernels",
            dependencies: ["CVecdPlatform", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: settings
        ),
        .target(name: "CVecdPlatform"),
        .target(name: "VecdIndex", dependencies: ["VecdKernels", "CVecdPlatform"], swiftSettings: settings),
        // VecdStorage: `bench churn` and `bench lowram` measure the durable collection users run.
        .target(name: "VecdBench", dependencies: ["VecdIndex", "VecdStorage", "Vecd", "VecdEmbed"], swiftSettings: settings),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLZ4", providers: [.apt(["liblz4-dev"])]),
        .target(name: "VecdStorage", dependencies: ["VecdIndex", "CLZ4"], swiftSettings: settings),
        .target(name: "VecdSQLite", dependencies: ["CSQLite"], swiftSettings: settings),
        .target(name: "VecdEmbed", dependencies: ["VecdKernels"], swiftSettings: settings),
        .target(
            name: "Vecd", dependencies: ["VecdIndex", "VecdStorage", "VecdSQLite", "VecdEmbed", "VecdJSON"],
            swiftSettings: settings
        ),
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),
        .target(name: "VecdPostgres", dependencies: ["Vecd", "CLibPQ"], swiftSettings: settings),
        // `vecd bench pgvector`: vecd's benchmark protocols run against PostgreSQL + pgvector, kept out of the
        // export / import bridge so that VecdPostgres never links benchmark code.
        .target(name: "VecdPgvectorBench", dependencies: ["VecdPostgres", "VecdBench"], swiftSettings: settings),
        .target(
            name: "VecdServer",
            dependencies: [
                "Vecd", "VecdEmbed",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
        // Foundation only, so apps and test suites talk to a server without linking the engine.
        .target(name: "VecdClient", dependencies: ["VecdJSON"], swiftSettings: strictness),
        // JSONValue alone, shared by the engine and the client.
        .target(name: "VecdJSON", swiftSettings: strictness),
        .executableTarget(
            name: "vecd",
            dependencies: [
                "VecdIndex", "VecdBench", "Vecd", "VecdPostgres", "VecdPgvectorBench", "VecdServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        // Test-only and in no product: what several test targets share (temporary directories, harnesses). Seeded
        // generators come from VecdBench, whose SplitMix64 `vecd bench` itself draws its data sets from.
        .target(name: "VecdTestSupport", path: "Tests/VecdTestSupport", swiftSettings: settings),
        .testTarget(name: "VecdKernelsTests", dependencies: ["VecdKernels", "VecdBench"], swiftSettings: settings),
        .testTarget(name: "VecdIndexTests", dependencies: ["VecdIndex", "VecdBench"], swiftSettings: settings),
        .testTarget(name: "VecdStorageTests", dependencies: ["VecdStorage", "VecdTestSupport", "VecdBench"], swiftSettings: settings),
        .testTarget(name: "VecdSQLiteTests", dependencies: ["VecdSQLite", "VecdTestSupport"], swiftSettings: settings),
        .testTarget(
            name: "VecdEmbedTests", dependencies: ["VecdEmbed"], resources: [.copy("Fixtures")], swiftSettings: settings
        ),
        .testTarget(name: "VecdTests", dependencies: ["Vecd", "VecdEmbed", "VecdBench"], swiftSettings: settings),
        .testTarget(name: "VecdPostgresTests", dependencies: ["VecdPostgres", "VecdPgvectorBench", "VecdBench"], swiftSettings: settings),
        .testTarget(name: "VecdServerTests", dependencies: ["VecdServer", "VecdClient", "Vecd", "VecdEmbed", "VecdBench", .product(name: "Logging", package: "swift-log")], swiftSettings: settings),
        .testTarget(name: "VecdCLITests", dependencies: ["VecdBench", "Vecd"], swiftSettings: settings),
    ]
)
