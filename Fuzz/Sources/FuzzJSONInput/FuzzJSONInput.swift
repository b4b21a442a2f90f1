import CaseLedger
import FuzzDriver
import CaseManagement

let registry = CaseEvents.registry()
let types = registry.registeredTypes

/// The CLI's JSON input for a case event (`caseledger append --type T
/// --data JSON`): the first byte picks the type, the rest is the JSON. It
/// becomes a binary payload or a `CodecError`; never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    guard size > 0 else { return 0 }
    let type = types[Int(data[0]) % types.count]
    let json = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    _ = try? registry.eventData(type: type, json: json)
    return 0
}

@_cdecl("FuzzJSONInput_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    caseledger_run_fuzzer(argc, argv) { fuzz($0, $1) }
}
