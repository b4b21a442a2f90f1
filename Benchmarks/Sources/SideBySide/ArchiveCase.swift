import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation

/// The export and import rows: the year of the city written to an export
/// file and read back into a fresh store, each in events per second.
enum ArchiveCase {
    /// Exports the store at `path` to `file`; events per second.
    static func export(path: String, to file: String) async throws -> Double {
        let store = try LMDBEventStore(path: path, access: .readOnly)
        let head = try await store.headPosition()
        let seconds = try await Measure.seconds {
            _ = try await LogExporter(store: store, registry: CaseEvents.registry()).export(to: file)
        }
        await store.close()
        return Double(head) / seconds
    }

    /// Imports `file` into a fresh store as `caseledger import --create
    /// --relaxed` does: transactions of 100,000 events (the store is moved
    /// into place only when whole), one sync at the end; events per second.
    static func importFile(_ file: String, into path: String) async throws -> Double {
        let store = try LMDBEventStore(path: path, durability: .relaxed)
        var events: UInt64 = 0
        let seconds = try await Measure.seconds {
            events = try await LogImporter(store: store, registry: CaseEvents.registry()).importFile(file, transactionSize: 100_000).added
            try await store.sync()
        }
        await store.close()
        return Double(events) / seconds
    }
}

