import CaseLedger
import CaseLedgerLMDB
import Foundation

// The README's first example: open a store, append to a stream with an
// expected version, read it back, and read the whole log.
let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : NSTemporaryDirectory() + "caseledger-quickstart-\(UUID().uuidString)"
let store = try LMDBEventStore(path: path)
let ticket = try StreamName("ticket-2025-00017")

let filed = EventData(type: "TicketFiled", payload: Array(#"{"channel":"evaluation-app","category":"wage-dispute"}"#.utf8),
                      metadata: EventMetadata(actor: "citizen-981"))
let assessed = EventData(type: "TicketAssessed", payload: Array(#"{"risk":"high","earlyWarning":true}"#.utf8),
                         metadata: EventMetadata(actor: "officer-0042"))

let result = try await store.append([filed, assessed], to: ticket, expectedVersion: .noStream)
print("appended at positions \(result.positions); stream version \(result.streamVersion)")

// Retrying the same events (same ids) is idempotent: the original positions come back.
let retry = try await store.append([filed, assessed], to: ticket, expectedVersion: .noStream)
print("retry returned \(retry.positions), already stored: \(retry.wasAlreadyStored)")

// A new event with a stale expected version is refused and writes nothing.
do {
    _ = try await store.append([EventData(type: "TicketAssigned", payload: [])], to: ticket, expectedVersion: .noStream)
} catch {
    print("refused as expected (\(error.code)): \(error.message)")
}

for event in try await store.readStream(ticket) {
    print("\(event.position) \(event.stream) v\(event.streamVersion) \(event.type) \(String(decoding: event.payload, as: UTF8.self)) hash=\(event.hash.hex.prefix(16))…")
}
print("head position: \(try await store.headPosition())")
await store.close()
if CommandLine.arguments.count <= 1 { try? FileManager.default.removeItem(atPath: path) }
