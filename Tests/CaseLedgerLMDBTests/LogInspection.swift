import CaseLedger
import Foundation

/// What a stress test finds when it reads a store back.
struct LogInspection {
    /// Events per (writer, batch).
    var batches: [String: Int] = [:]
    /// Declared size per (writer, batch).
    var sizes: [String: Int] = [:]
    var count: UInt64 = 0
    var problems: [String] = []

    static func key(_ writer: Int, _ batch: Int) -> String { "\(writer)/\(batch)" }

    /// Reads the whole log: positions contiguous, the audit chain intact, batches counted.
    static func inspect(_ store: any EventStore) async throws -> LogInspection {
        var result = LogInspection()
        var previous = AuditHash.genesis
        var lastBatchKey: String?
        for try await page in store.allEvents(pageSize: 2_000) {
            for e in page {
                result.count += 1
                if e.position != result.count { result.problems.append("position \(e.position) where \(result.count) was due") }
                let canonical = RecordFormat.canonicalBytes(
                    position: e.position, stream: e.stream.value, streamVersion: e.streamVersion,
                    event: EventData(id: e.id, type: e.type, schemaVersion: e.schemaVersion, payload: e.payload, metadata: e.metadata),
                    recordedAt: e.recordedAt)
                if AuditHash.chain(previous: previous, canonical: canonical) != e.hash {
                    result.problems.append("hash chain broken at \(e.position)")
                }
                previous = e.hash
                let p = e.metadata.properties
                guard let w = p["writer"], let b = p["batch"], let s = p["size"], let size = Int(s) else { continue }
                let key = "\(w)/\(b)"
                if let count = result.batches[key], lastBatchKey != key, count < size {
                    result.problems.append("batch \(key) is interleaved with another batch")
                }
                result.batches[key, default: 0] += 1
                result.sizes[key] = size
                lastBatchKey = key
            }
        }
        for (key, n) in result.batches where n != result.sizes[key] {
            result.problems.append("batch \(key) has \(n) of \(result.sizes[key]!) events")
        }
        return result
    }
}
