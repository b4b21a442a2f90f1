import CaseLedger
import CaseLedgerLMDB
import Foundation

// A helper for the crash and multi-process tests.
//
//   CaseLedgerStress append PATH WRITER BATCHES BATCH_SIZE
//
// Appends BATCHES batches of BATCH_SIZE events to the store at PATH, each to
// stream `stress-WRITER-<n mod 8>`, and prints `ack WRITER N` after batch N
// commits. Exit code 2 on bad arguments, 1 on a store error.

let args = CommandLine.arguments
guard args.count == 6, args[1] == "append", let writer = Int(args[3]), let batches = Int(args[4]), let size = Int(args[5]) else {
    FileHandle.standardError.write(Data("usage: CaseLedgerStress append PATH WRITER BATCHES BATCH_SIZE\n".utf8))
    exit(2)
}
let path = args[2]

do {
    let store = try LMDBEventStore(path: path)
    for batch in 0..<batches {
        let stream = try StreamName("stress-\(writer)-\(batch % 8)")
        let events = (0..<size).map { i in
            EventData(type: "Stressed", payload: Array("\(writer)/\(batch)/\(i)".utf8),
                      metadata: EventMetadata(properties: ["writer": String(writer), "batch": String(batch), "index": String(i), "size": String(size)]))
        }
        _ = try await store.append(events, to: stream)
        FileHandle.standardOutput.write(Data("ack \(writer) \(batch)\n".utf8))
    }
    await store.close()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
