import CaseLedger
import CaseLedgerPostgres
import CaseLedgerTestKit
import Foundation
import Testing

@Suite("Forgetting a citizen on PostgreSQL: erased everywhere, the chain verifies, no trace in the tables")
struct PostgresPersonalDataTests {
    @Test("a citizen's tickets and ratings read in clear, then erased after forget; verify and the reference verifier pass")
    func forgetACitizen() async throws {
        let folder = NSTemporaryDirectory() + "personal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try await PostgresServer.store()
        let keys = try await PostgresKeyStorage(store: store)
        let backend = PersonalDataScenario.Backend(
            store: store, keys: keys,
            freshStore: { try await PostgresServer.store() },
            filesHolding: { bytes in try await PostgresKeyStorageTests.tableFilesHolding(bytes) },
            scratch: folder)
        let outcome = try await PersonalDataScenario.run(backend)
        await store.close()
        let (status, output) = try ReferenceVerifier.run(["export", outcome.exportPath])
        #expect(status == 0, "tools/caseledger_verify.py export: \(output)")
    }
}
