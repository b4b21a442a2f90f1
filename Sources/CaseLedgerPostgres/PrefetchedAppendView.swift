import CaseLedger
import Foundation

/// The append rules' view of a PostgreSQL transaction: what the group's
/// appends need is fetched first in a few queries, then each planned append
/// is folded in so the next one sees it.
final class PrefetchedAppendView: AppendStorageView {
    var versions: [String: UInt64] = [:]
    var ids: [UUID: UInt64] = [:]
    var records: [UInt64: [UInt8]] = [:]

    func currentVersion(of stream: String) throws(EventStoreError) -> UInt64 { versions[stream] ?? 0 }

    func position(ofEventID id: UUID) throws(EventStoreError) -> UInt64? { ids[id] }

    func record(at position: UInt64) throws(EventStoreError) -> RecordedEvent {
        guard let bytes = records[position] else { throw EventStoreError.storage("position \(position) was not fetched") }
        do throws(RecordFormatError) {
            return try RecordFormat.decode(stored: bytes)
        } catch {
            throw EventStoreError.storage("position \(position): \(error)")
        }
    }

    /// Folds a plan in: later appends of the group see its streams and ids.
    func apply(_ plan: AppendPlan) {
        for (stream, version) in plan.streamHeads { versions[stream] = version }
        for record in plan.records {
            ids[record.id] = record.position
            records[record.position] = record.value
        }
    }
}
