// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets, built apart from the main package with
// `-sanitize=fuzzer,address -parse-as-library` (see `make fuzz`). Each
// target's entry point hands its `LLVMFuzzerTestOneInput` to libFuzzer's
// driver (FuzzDriver).
let package = Package(
    name: "CaseLedgerFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "CaseLedger", path: "../")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzRecord", dependencies: ["FuzzDriver", .product(name: "CaseLedger", package: "CaseLedger")]),
        .executableTarget(name: "FuzzCodec", dependencies: [
            "FuzzDriver", .product(name: "CaseLedger", package: "CaseLedger"), .product(name: "CaseManagement", package: "CaseLedger"),
        ]),
        .executableTarget(name: "FuzzImportLine", dependencies: [
            "FuzzDriver", .product(name: "CaseLedger", package: "CaseLedger"), .product(name: "CaseManagement", package: "CaseLedger"),
        ]),
        .executableTarget(name: "FuzzJSONInput", dependencies: [
            "FuzzDriver", .product(name: "CaseLedger", package: "CaseLedger"), .product(name: "CaseManagement", package: "CaseLedger"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
