import CaseLedger
import FuzzDriver
import CaseManagement

let registry = CaseEvents.registry()
let types = registry.registeredTypes

/// The binary codec: the first byte picks a case event type, the rest is its
/// payload. It decodes or throws a `CodecError`; what decodes encodes back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    guard size > 0 else { return 0 }
    let type = types[Int(data[0]) % types.count]
    let payload = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    guard let version = registry.schemaVersion(of: type),
          let event = try? registry.decode(type: type, schemaVersion: version, payload: payload) else { return 0 }
    _ = try? registry.jsonPayload(type: type, schemaVersion: version, payload: payload)
    _ = try? BinaryCodec().encode(event)
    return 0
}

@_cdecl("FuzzCodec_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    caseledger_run_fuzzer(argc, argv) { fuzz($0, $1) }
}
