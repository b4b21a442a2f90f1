// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "CaseLedger",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CaseLedger", targets: ["CaseLedger"]),
        .library(name: "CaseLedgerLMDB", targets: ["CaseLedgerLMDB"]),
        .library(name: "CaseLedgerPostgres", targets: ["CaseLedgerPostgres"]),
        .library(name: "CaseLedgerService", targets: ["CaseLedgerService"]),
        .library(name: "CaseLedgerTestKit", targets: ["CaseLedgerTestKit"]),
        .library(name: "CaseManagement", targets: ["CaseManagement"]),
        .library(name: "CaseWorkload", targets: ["CaseWorkload"]),
        .executable(name: "caseledger", targets: ["caseledger"]),
    ],
    // The command-line tool speaks PostgreSQL only with this trait
    // (`swift build --traits PostgreSQL`, which `make build` and `make test`
    // pass): without it the tool builds without SwiftNIO and postgres-nio,
    // the largest part of a clean build. The CaseLedgerPostgres library is
    // there either way for packages that depend on it.
    traits: [
        .trait(name: "PostgreSQL", description: "PostgreSQL stores (postgres://…) in the caseledger command-line tool"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.1.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(
            name: "CaseLedger",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "CaseLedgerLMDB",
            dependencies: ["CaseLedger", "CLMDB"]
        ),
        .target(
            name: "CaseLedgerPostgres",
            dependencies: [
                "CaseLedger",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CaseLedgerService",
            dependencies: [
                "CaseLedger",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "EventSchemaGenerator"),
        .plugin(name: "EventSchemaPlugin", capability: .buildTool(), dependencies: ["EventSchemaGenerator"]),
        .target(
            name: "CaseManagement",
            dependencies: ["CaseLedger"],
            plugins: ["EventSchemaPlugin"]
        ),
        .target(
            name: "CaseWorkload",
            dependencies: ["CaseLedger", "CaseManagement", .product(name: "HeapModule", package: "swift-collections")]
        ),
        .target(
            name: "CaseLedgerTestKit",
            // CaseManagement: the city scenario of forgetting a citizen
            // (PersonalDataScenario) that every backend runs.
            dependencies: ["CaseLedger", "CaseManagement", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "CaseLedgerStress",
            dependencies: [
                "CaseLedger", "CaseLedgerLMDB", "CaseLedgerPostgres", "CaseLedgerService", "CaseLedgerTestKit",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "caseledger",
            dependencies: [
                "CaseLedger", "CaseLedgerLMDB", "CaseManagement", "CaseWorkload",
                .target(name: "CaseLedgerPostgres", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(name: "TicketDesk", dependencies: ["CaseLedger", "CaseManagement"], path: "Examples/TicketDesk"),
        .executableTarget(name: "CheckupClinic", dependencies: ["CaseLedger", "CaseManagement"], path: "Examples/CheckupClinic"),
        .executableTarget(name: "PenaltyRegister", dependencies: ["CaseLedger", "CaseManagement"], path: "Examples/PenaltyRegister"),
        .executableTarget(name: "AuditReplay", dependencies: ["CaseLedger", "CaseLedgerLMDB", "CaseWorkload"], path: "Examples/AuditReplay"),
        .executableTarget(
            name: "QuickStart",
            dependencies: ["CaseLedger", "CaseLedgerLMDB"],
            path: "Examples/QuickStart"
        ),
        // The city's case service: an HTTP service (Hummingbird) with roles,
        // a live dashboard and an audit console, embedding the store and the
        // projection engine in one ServiceGroup.
        .executableTarget(
            name: "CityService",
            dependencies: [
                "CaseLedger", "CaseLedgerLMDB", "CaseLedgerPostgres", "CaseLedgerService", "CaseManagement", "CaseWorkload",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/CityService",
            resources: [.copy("Public")]
        ),
        .testTarget(
            name: "CityServiceTests",
            dependencies: [
                "CityService", "CaseLedger", "CaseLedgerPostgres", "CaseManagement",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CaseLedgerTests",
            dependencies: [
                "CaseLedger", "CaseLedgerTestKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "CaseLedgerService",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CaseManagementTests",
            dependencies: ["CaseLedger", "CaseLedgerLMDB", "CaseManagement", "CaseWorkload", .product(name: "Crypto", package: "swift-crypto")],
            // Read from the source tree by the tests that check them.
            exclude: ["EventFingerprints.txt"]
        ),
        .testTarget(
            name: "CaseLedgerCLITests",
            dependencies: ["caseledger", "QuickStart", "TicketDesk", "CheckupClinic", "PenaltyRegister", "AuditReplay"]
        ),
        .testTarget(
            name: "CaseLedgerPostgresTests",
            dependencies: [
                "CaseLedger", "CaseLedgerPostgres", "CaseLedgerTestKit", "CaseLedgerStress",
                .product(name: "Crypto", package: "swift-crypto"),
                // Raw SQL, to damage tables behind the store's back.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CaseLedgerLMDBTests",
            dependencies: [
                "CaseLedger", "CaseLedgerLMDB", "CaseLedgerTestKit", "CaseLedgerStress",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
