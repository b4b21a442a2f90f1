import CaseLedger
import CaseLedgerLMDB
import CaseWorkload
import Foundation

// Generates a log, verifies it, flips one byte of a stored event in a copy of
// the store's file, and shows verify naming the position.
let dir = NSTemporaryDirectory() + "caseledger-audit-\(UUID().uuidString)"
let store = try LMDBEventStore(path: dir, durability: .relaxed)
let summary = try await CityWorkload(WorkloadConfiguration(scale: 0.01, seed: 42)).generate(into: store)
try await store.sync()
let report = try await LogVerifier(store: store).verify()
print("generated \(summary.events) events; verify: \(report.isValid ? "ok" : "FAILED"), head hash \(report.headHash.hex)")
await store.close()

let copy = dir + "-tampered"
try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/data.mdb"))
guard let range = bytes.range(of: Data("via mediationRoom".utf8)) else {
    print("no mediation-room ticket in the log")
    exit(1)
}
bytes[range.lowerBound + 4] ^= 0x20
try bytes.write(to: URL(fileURLWithPath: copy + "/data.mdb"))
print("flipped one bit at byte \(range.lowerBound + 4) of \(copy)/data.mdb")

let tampered = try LMDBEventStore(path: copy)
let result = try await LogVerifier(store: tampered).verify()
await tampered.close()
for path in [dir, copy] { try? FileManager.default.removeItem(atPath: path) }
if let failure = result.failure {
    print("verify names position \(failure.position): \(failure.reason)")
} else {
    print("the flip went unnoticed")
    exit(1)
}
