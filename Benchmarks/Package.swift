// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "CaseLedgerBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "CaseLedger", path: "../"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CaseLedgerBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CaseLedger", package: "CaseLedger"),
                .product(name: "CaseLedgerLMDB", package: "CaseLedger"),
                .product(name: "CaseManagement", package: "CaseLedger"),
                .product(name: "CaseWorkload", package: "CaseLedger"),
            ],
            path: "Benchmarks/CaseLedgerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SideBySide",
            dependencies: [
                .product(name: "CaseLedger", package: "CaseLedger"),
                .product(name: "CaseLedgerPostgres", package: "CaseLedger"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "CaseLedgerLMDB", package: "CaseLedger"),
                .product(name: "CaseManagement", package: "CaseLedger"),
                .product(name: "CaseWorkload", package: "CaseLedger"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/SideBySide"
        ),
    ],
    swiftLanguageModes: [.v6]
)
