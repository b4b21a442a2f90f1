import CLMDB
import CaseLedger
import Foundation

extension LMDBStorage {
    /// A write transaction on the store's writer thread; every operation
    /// checks it runs there (LMDB ties the transaction to its thread).
    public struct Transaction: EventStorageTransaction {
        let txn: LMDBTransaction
        let thread: LMDBWriterThread

        /// Runs an LMDB operation after checking the thread.
        private func run<T>(_ body: () throws(LMDBResult) -> T) throws(EventStoreError) -> T {
            guard thread.isCurrent else { throw EventStoreError.storage("an LMDB write transaction was used off its writer thread") }
            do throws(LMDBResult) {
                return try body()
            } catch {
                throw error.storeError
            }
        }

        public func head() async throws(EventStoreError) -> LogHead {
            try run { () throws(LMDBResult) in try txn.head() }
        }

        public func streamVersions(_ streams: [String]) async throws(EventStoreError) -> [String: UInt64] {
            try run { () throws(LMDBResult) in
                var out: [String: UInt64] = [:]
                for stream in streams {
                    let v = try txn.streamVersion(stream)
                    if v > 0 { out[stream] = v }
                }
                return out
            }
        }

        public func positions(ofEventIDs ids: [UUID]) async throws(EventStoreError) -> [UUID: UInt64] {
            try run { () throws(LMDBResult) in
                var out: [UUID: UInt64] = [:]
                for id in ids { if let p = try txn.position(ofEventID: id) { out[id] = p } }
                return out
            }
        }

        public nonisolated(nonsending) func scanRecords(at positions: [UInt64], _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Void) async throws {
            for p in positions {
                let record = try run { () throws(LMDBResult) in try txn.storedRecord(at: p) }
                guard let record else { throw EventStoreError.corrupted("no record at position \(p)", position: p) }
                try visit(p, record)
            }
        }

        public nonisolated(nonsending) func scanLog(from position: UInt64, through last: UInt64, _ visit: (UInt64, UnsafeRawBufferPointer) throws -> Void) async throws {
            guard position <= last else { return }
            var p = max(1, position)
            while p <= last {
                let record = try run { () throws(LMDBResult) in try txn.storedRecord(at: p) }
                guard let record else { return }
                try visit(p, record)
                p += 1
            }
        }

        public func projection(_ slot: String, tables: [String]) async throws(EventStoreError) -> StoredProjection? {
            try run { () throws(LMDBResult) in try txn.projection(slot, tables: tables) }
        }

        public mutating func insert(_ batch: RecordBatch) async throws(EventStoreError) -> InsertOutcome {
            guard thread.isCurrent else { throw EventStoreError.storage("an LMDB write transaction was used off its writer thread") }
            if let existing = try txn.insert(batch) { return .eventIDExists(existing) }
            return .inserted
        }

        public mutating func apply(_ writes: [ReadModelWrite]) async throws(EventStoreError) {
            var pending: [ReadModelWrite] = []
            for write in writes {
                guard case .requireCheckpoint(let slot, let checkpoint) = write else {
                    pending.append(write)
                    continue
                }
                let before = pending
                try run { () throws(LMDBResult) in try txn.apply(before) }
                pending = []
                let held = try run { () throws(LMDBResult) in try txn.projection(slot)?.checkpoint }
                guard held == checkpoint else { throw EventStoreError.readModelConflict(slot: slot, required: checkpoint, held: held) }
            }
            let rest = pending
            try run { () throws(LMDBResult) in try txn.apply(rest) }
        }
    }
}
