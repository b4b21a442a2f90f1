import CaseLedger
import FuzzDriver
import CaseManagement

let registry = CaseEvents.registry()

/// An export line as the importer reads it: checked or refused with an
/// `EventStoreError`, never a crash. The input is the previous record's hash
/// (32 bytes), the line's position (8 bytes, big-endian), then the line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ input: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = input else { return 0 }
    guard size >= 40, let previous = AuditHash(bytes: Array(UnsafeBufferPointer(start: data, count: 32))) else { return 0 }
    let position = (32..<40).reduce(UInt64(0)) { $0 << 8 | UInt64(data[$1]) }
    let line = Array(UnsafeBufferPointer(start: data + 40, count: size - 40))
    _ = try? ArchiveFormat.checkEventLine(line, position: position, previous: previous, registry: registry)
    return 0
}

@_cdecl("FuzzImportLine_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    caseledger_run_fuzzer(argc, argv) { fuzz($0, $1) }
}
