import CaseLedger
import FuzzDriver

/// The record parser: any bytes either parse into a view whose every field,
/// the canonical check and the owned copy can be read, or are refused with a
/// `RecordFormatError`. Never a crash, never a read past the bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let view = try? RecordView(stored: bytes) else { return 0 }
    _ = view.streamName
    _ = view.typeName
    _ = view.category
    _ = view.eventID
    _ = view.hash
    _ = view.chains(from: .genesis)
    _ = try? view.metadata()
    _ = try? view.checkCanonical()
    _ = try? view.materialize()
    return 0
}

@_cdecl("FuzzRecord_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    caseledger_run_fuzzer(argc, argv) { fuzz($0, $1) }
}
