// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets, built apart from the main package (see `make fuzz`).
// Every module is compiled with AddressSanitizer and libFuzzer's coverage
// instrumentation (`-sanitize=address -sanitize-coverage=…`, passed for the
// whole build); only the fuzz targets below link libFuzzer itself, because
// libFuzzer brings its own `main`, which would clash with the one of the
// package's build-tool executable (EventSchemaGenerator). Each target's entry
// point hands its `LLVMFuzzerTestOneInput` to libFuzzer's driver (FuzzDriver).
let linksLibFuzzer: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]

let package = Package(
    name: "CaseLedgerFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "CaseLedger", path: "../")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzRecord", dependencies: ["FuzzDriver", .product(name: "CaseLedger", package: "CaseLedger")], linkerSettings: linksLibFuzzer),
        .executableTarget(name: "FuzzCodec", dependencies: [
            "FuzzDriver", .product(name: "CaseLedger", package: "CaseLedger"), .product(name: "CaseManagement", package: "CaseLedger"),
        ], linkerSettings: linksLibFuzzer),
        .executableTarget(name: "FuzzImportLine", dependencies: [
            "FuzzDriver", .product(name: "CaseLedger", package: "CaseLedger"), .product(name: "CaseManagement", package: "CaseLedger"),
        ], linkerSettings: linksLibFuzzer),
        .executableTarget(name: "FuzzJSONInput", dependencies: [
            "FuzzDriver", .product(name: "CaseLedger", package: "CaseLedger"), .product(name: "CaseManagement", package: "CaseLedger"),
        ], linkerSettings: linksLibFuzzer),
    ],
    swiftLanguageModes: [.v6]
)
