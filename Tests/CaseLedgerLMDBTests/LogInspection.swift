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

    /// Reads the whole log: it verifies (positions contiguous, the audit chain intact), batches counted.
    static func inspect(_ store: any EventStore) async throws -> LogInspection {
        var result = LogInspection()
        if let failure = try await LogVerifier(store: store).verify().failure {
            result.problems.append("the log does not verify: \(failure)")
        }
        var lastBatchKey: String?
        for try await page in store.allEvents(pageSize: 2_000) {
            for e in page {
                result.count += 1
                if e.position != result.count { result.problems.append("position \(e.position) where \(result.count) was due") }
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
            result.problems.append("batch \(key) has \(n) of \(result.sizes[key] ?? 0) events")
        }
        return result
    }
}
