import CaseLedger
import CaseLedgerLMDB
import CaseLedgerTestKit
import Foundation
import Testing

@Suite("Forgetting a citizen on LMDB: erased everywhere, the chain verifies, no trace in the files")
struct LMDBPersonalDataTests {
    @Test("a citizen's tickets and ratings read in clear, then erased after forget; verify and the reference verifier pass")
    func forgetACitizen() async throws {
        let folder = NSTemporaryDirectory() + "personal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/store"
        let store = try LMDBEventStore(path: path)
        let keys = try LMDBKeyStorage(path: path + "/keys")
        let backend = PersonalDataScenario.Backend(
            store: store, keys: keys,
            freshStore: { try LMDBEventStore(path: folder + "/imported-\(UUID().uuidString)") },
            filesHolding: { bytes in try Self.files(under: path, holding: bytes) },
            scratch: folder)
        let outcome = try await PersonalDataScenario.run(backend)
        await store.close()
        await keys.close()
        #expect(try Self.files(under: path, holding: Array(outcome.plaintexts[0].utf8)).isEmpty, "closed, still no plaintext")
        // The reference verifier reads the store and the export.
        for arguments in [["lmdb", path], ["export", outcome.exportPath]] {
            let (status, output) = try ReferenceVerifier.run(arguments)
            #expect(status == 0, "tools/caseledger_verify.py \(arguments[0]): \(output)")
        }
    }

    static func files(under folder: String, holding bytes: [UInt8]) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder).filter { file in
            FileManager.default.contents(atPath: folder + "/" + file).map { $0.range(of: Data(bytes)) != nil } ?? false
        }
    }
}
