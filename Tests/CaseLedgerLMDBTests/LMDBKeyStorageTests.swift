import CaseLedgerLMDB
import CaseLedgerTestKit
import Crypto
import Foundation
import Testing
@testable import CaseLedger

@Suite("Subjects' keys in LMDB: kept across reopen, destroyed without a trace in the files")
struct LMDBKeyStorageTests {
    @Test(arguments: PersonalKeyStorageConformance.cases)
    func conformance(_ check: PersonalKeyStorageConformance.Case) async throws {
        let folder = NSTemporaryDirectory() + "keys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await check.run { try LMDBKeyStorage(path: folder) }
    }

    @Test("read only: a missing key store is an error that creates nothing; an existing one reads its keys and refuses a write")
    func readOnly() async throws {
        let folder = NSTemporaryDirectory() + "keys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: PersonalDataError.self) { _ = try LMDBKeyStorage(path: folder, readOnly: true) }
        #expect(!FileManager.default.fileExists(atPath: folder), "nothing created")
        let keys = try LMDBKeyStorage(path: folder)
        let vault = try await PersonalDataVault(storage: keys, masterKey: SymmetricKey(size: .bits256))
        try await vault.prepare(subjects: ["citizen-8"])
        await keys.close()
        let before = FileManager.default.contents(atPath: folder + "/data.mdb")
        let reading = try LMDBKeyStorage(path: folder, readOnly: true)
        #expect(try await reading.allKeys().map(\.subject).contains("citizen-8"))
        await #expect(throws: PersonalDataError.self) {
            _ = try await reading.insert(WrappedSubjectKey(subject: "citizen-9", keyID: Array(repeating: 1, count: 16), wrapped: [1, 2, 3]))
        }
        await reading.close()
        #expect(FileManager.default.contents(atPath: folder + "/data.mdb") == before, "the file is unchanged")
    }

    /// Whether any file under `folder` holds `bytes`.
    static func found(_ bytes: [UInt8], under folder: String) throws -> [String] {
        var hits: [String] = []
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder)
        for file in files {
            guard let data = FileManager.default.contents(atPath: folder + "/" + file) else { continue }
            if data.range(of: Data(bytes)) != nil { hits.append(file) }
        }
        return hits
    }

    @Test("a forgotten subject's key (wrapped or not) and its id are in no file of the key store; the others still open")
    func forgetLeavesNoTrace() async throws {
        let folder = NSTemporaryDirectory() + "keys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let master = SymmetricKey(size: .bits256)
        var storage = try LMDBKeyStorage(path: folder)
        var vault = try await PersonalDataVault(storage: storage, masterKey: master)
        var sealed: [String: [UInt8]] = [:]
        for n in 0..<200 { sealed["citizen-\(n)"] = try await vault.seal(Array("summary \(n)".utf8), for: "citizen-\(n)") }
        // Reopened: the keys were kept.
        await storage.close()
        storage = try LMDBKeyStorage(path: folder)
        vault = try await PersonalDataVault(storage: storage, masterKey: master)
        #expect(vault.open(sealed["citizen-42"]!) == Array("summary 42".utf8))

        let kept = try #require(try await storage.allKeys().first { $0.subject == "citizen-42" })
        let raw = try #require(PersonalDataVault.unwrap(kept, with: master)).withUnsafeBytes { Array($0) }
        #expect(try Self.found(kept.wrapped, under: folder) == ["data.mdb"], "the scan sees the wrapped key before forgetting")

        #expect(try await vault.forget(subject: "citizen-42"))
        for (what, bytes) in [("wrapped key", kept.wrapped), ("data key", raw), ("key id", kept.keyID)] {
            #expect(try Self.found(bytes, under: folder).isEmpty, "no copy of the \(what) left")
        }
        #expect(vault.open(sealed["citizen-42"]!) == nil)
        #expect(vault.open(sealed["citizen-43"]!) == Array("summary 43".utf8))
        #expect(try await vault.forget(subject: "citizen-42") == false, "twice is harmless")

        // After a reopen too.
        await storage.close()
        storage = try LMDBKeyStorage(path: folder)
        vault = try await PersonalDataVault(storage: storage, masterKey: master)
        #expect(vault.open(sealed["citizen-42"]!) == nil && vault.open(sealed["citizen-0"]!) == Array("summary 0".utf8))
        #expect(try await storage.allKeys().count == 200, "199 subjects and the master-key check")
        await storage.close()
    }

    @Test("a wrong master key is refused and the key store's files are unchanged")
    func wrongMasterKey() async throws {
        let folder = NSTemporaryDirectory() + "keys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let storage = try LMDBKeyStorage(path: folder)
        _ = try await PersonalDataVault(storage: storage, masterKey: SymmetricKey(size: .bits256)).seal([1, 2, 3], for: "citizen-1")
        let before = FileManager.default.contents(atPath: folder + "/data.mdb")
        let error = await #expect(throws: PersonalDataError.self) {
            _ = try await PersonalDataVault(storage: storage, masterKey: SymmetricKey(size: .bits256))
        }
        #expect(error?.code == .wrongMasterKey)
        #expect(FileManager.default.contents(atPath: folder + "/data.mdb") == before, "nothing written")
        await storage.close()
    }
}
