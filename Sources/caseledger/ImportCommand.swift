import ArgumentParser
import CaseLedger
import Foundation

/// `caseledger import`: an exported log into a store.
///
/// The file's whole chain is checked first; a broken chain writes nothing.
/// Events the store already holds (the same prefix of the log) are skipped,
/// so importing a file again, or after an interrupted import, adds only what
/// is missing and ends at the same head hash as a clean import.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import an exported NDJSON log; refuses a broken chain.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The file to read.") var from: String
    @Flag(help: "Relaxed durability (one sync at the end) for speed.") var relaxed = false

    func open() throws -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: from) else { throw CLIError("cannot read \(from)") }
        return handle
    }

    func run() async throws {
        // Pass 1: the file's chain, in constant memory.
        var previous = AuditHash.genesis
        var count: UInt64 = 0
        for (i, line) in NDJSONLines(handle: try open()).enumerated() {
            let parsed = try EventLine.decode(line, number: i + 1)
            count += 1
            guard parsed.position == count else {
                throw CLIError("refusing \(from): the chain is broken at position \(count) (line \(i + 1) holds position \(parsed.position)); nothing was written")
            }
            let stored = RecordFormat.storedValue(position: parsed.position, stream: parsed.stream.value, streamVersion: parsed.version,
                                                  event: parsed.event, recordedAt: parsed.recordedAt, previous: previous)
            let hash = try stored.withUnsafeBytes { raw in try RecordView(stored: raw).hash }
            guard hash.hex == parsed.hash else {
                throw CLIError("refusing \(from): the chain is broken at position \(parsed.position); nothing was written")
            }
            previous = hash
        }
        let fileHead = previous
        // Pass 2: what the store lacks.
        let store = try await storeOptions.open(create: true, durability: relaxed ? .relaxed : .durable)
        do {
            let head = try await store.headPosition()
            if head > count {
                throw CLIError("the store holds \(head) events, more than the file's \(count); nothing was written")
            }
            if head > 0 {
                let storeHead = try await store.head().hash.hex
                var fileHash: String?
                for (i, line) in NDJSONLines(handle: try open()).enumerated() where UInt64(i + 1) == head {
                    fileHash = try EventLine.decode(line, number: i + 1).hash
                    break
                }
                guard storeHead == fileHash else {
                    throw CLIError("the store's log differs from the file at or before position \(head); nothing was written")
                }
            }
            var batch: [StreamAppend] = []
            var added: UInt64 = 0
            for (i, line) in NDJSONLines(handle: try open()).enumerated() where UInt64(i + 1) > head {
                let parsed = try EventLine.decode(line, number: i + 1)
                batch.append(StreamAppend(stream: parsed.stream, expectedVersion: .exact(parsed.version - 1), events: [parsed.event]))
                if batch.count == 5_000 {
                    _ = try await store.append(batch)
                    added += UInt64(batch.count)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty {
                _ = try await store.append(batch)
                added += UInt64(batch.count)
            }
            try await store.sync()
            let tip = try await store.head()
            let newHead = tip.position
            let hash: AuditHash? = newHead == 0 ? nil : tip.hash
            await store.close()
            guard hash == (count == 0 ? nil : fileHead) else {
                throw CLIError("the imported log ends at hash \(hash?.hex ?? "-"), not the file's \(fileHead.hex)")
            }
            Output.line("imported \(added) events (\(head) already present); head \(newHead), hash \(hash?.hex ?? "-")")
        } catch let error as CLIError {
            await store.close()
            throw error
        } catch let error as EventStoreError {
            await store.close()
            throw CLIError(error.message)
        }
    }
}
