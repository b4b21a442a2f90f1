import CaseLedger
import CaseLedgerPostgres
import CaseLedgerTestKit
import Crypto
import Foundation
import PostgresNIO
import Testing

@Suite("Subjects' keys in PostgreSQL: kept across connections, destroyed from the table's files")
struct PostgresKeyStorageTests {
    @Test(arguments: PersonalKeyStorageConformance.cases)
    func conformance(_ check: PersonalKeyStorageConformance.Case) async throws {
        let store = try await PostgresServer.store()
        try await check.run { try await PostgresKeyStorage(store: store) }
        await store.close()
    }

    @Test("read only: a schema without the table holds no keys and gets no table; one with keys reads them and refuses a write")
    func readOnly() async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let store = try await PostgresEventStore.connect(try PostgresServer.configuration(try PostgresServer.schemaURL(schema)))
        let tableExists = {
            try await PostgresServer.withConnection { connection, logger in
                var found = false
                for try await exists in try await connection.query("SELECT to_regclass(\(schema + ".personal_keys")) IS NOT NULL", logger: logger).decode(Bool.self) {
                    found = exists
                }
                return found
            }
        }
        let empty = try await PostgresKeyStorage(store: store, readOnly: true)
        #expect(try await empty.allKeys().isEmpty)
        #expect(try await tableExists() == false, "the read-only key store made no table")
        let vault = try await PersonalDataVault(storage: try await PostgresKeyStorage(store: store), masterKey: SymmetricKey(size: .bits256))
        try await vault.prepare(subjects: ["citizen-8"])
        #expect(try await tableExists())
        let reading = try await PostgresKeyStorage(store: store, readOnly: true)
        let kept = try await reading.allKeys()
        #expect(kept.map(\.subject).contains("citizen-8"))
        await #expect(throws: PersonalDataError.self) { _ = try await reading.destroy(subject: "citizen-8") }
        await #expect(throws: PersonalDataError.self) {
            _ = try await reading.insert(WrappedSubjectKey(subject: "citizen-9", keyID: Array(repeating: 1, count: 16), wrapped: [1, 2, 3]))
        }
        #expect(try await reading.allKeys() == kept, "nothing written")
        await store.close()
    }

    /// The files under the cluster's `base/` (the tables) that hold `bytes`,
    /// after a checkpoint has written every table page out.
    static func tableFilesHolding(_ bytes: [UInt8]) async throws -> [String] {
        let directory = try await PostgresServer.withConnection { connection, logger in
            try await connection.query("CHECKPOINT", logger: logger)
            var directory = ""
            for try await value in try await connection.query("SHOW data_directory", logger: logger).decode(String.self) { directory = value }
            return directory
        }
        let base = directory + "/base"
        var hits: [String] = []
        for file in try FileManager.default.subpathsOfDirectory(atPath: base) {
            if let data = FileManager.default.contents(atPath: base + "/" + file), data.range(of: Data(bytes)) != nil { hits.append(file) }
        }
        return hits
    }

    @Test("seal, reopen, forget: erased everywhere, the wrapped key in no table file; a wrong master key writes nothing")
    func forget() async throws {
        let store = try await PostgresServer.store()
        let master = SymmetricKey(size: .bits256)
        let vault = try await PersonalDataVault(storage: try await PostgresKeyStorage(store: store), masterKey: master)
        let sealed = try await vault.seal(Array("summary of citizen 5".utf8), for: "citizen-5")
        let kept = try await vault.seal(Array("summary of citizen 6".utf8), for: "citizen-6")
        let keys = try await PostgresKeyStorage(store: store)
        let again = try await PersonalDataVault(storage: keys, masterKey: master)
        #expect(again.open(sealed) == Array("summary of citizen 5".utf8), "kept, and found by another vault")
        let wrapped = try #require(try await keys.allKeys().first { $0.subject == "citizen-5" }).wrapped
        #expect(!(try await Self.tableFilesHolding(wrapped)).isEmpty, "the scan sees the wrapped key before forgetting")

        let before = try await keys.allKeys()
        await #expect(throws: PersonalDataError.self) { _ = try await PersonalDataVault(storage: keys, masterKey: SymmetricKey(size: .bits256)) }
        #expect(try await keys.allKeys() == before, "a wrong master key writes nothing")

        #expect(try await again.forget(subject: "citizen-5"))
        #expect(try await again.forget(subject: "citizen-5") == false, "twice is harmless")
        #expect(again.open(sealed) == nil && again.open(kept) == Array("summary of citizen 6".utf8))
        let fresh = try await PersonalDataVault(storage: try await PostgresKeyStorage(store: store), masterKey: master)
        #expect(fresh.open(sealed) == nil, "erased for every vault")
        let left = try await Self.tableFilesHolding(wrapped)
        #expect(left.isEmpty, "no table file keeps the destroyed key: \(left)")
        await store.close()
    }
}
