import CaseLedger
import Crypto
import Foundation
import Testing

@Suite("Personal data sealed per subject (crypto-shredding)")
struct PersonalDataVaultTests {
    @Test("a value sealed for a subject opens until the subject is forgotten, then reads as erased; others stay; forgetting twice is harmless")
    func forget() async throws {
        let vault = try await PersonalDataVault(storage: InMemoryKeyStorage(), masterKey: SymmetricKey(size: .bits256))
        let text = Array("wages unpaid since March".utf8)
        let sealed = try await vault.seal(text, for: "citizen-1")
        let other = try await vault.seal(Array("a neighbour's wall".utf8), for: "citizen-2")
        #expect(vault.open(sealed) == text)
        #expect(!sealed.contains(subsequence: text) && !sealed.contains(subsequence: Array("citizen-1".utf8)), "ciphertext only, and no subject id")
        #expect(try await vault.seal(text, for: "citizen-1") != sealed, "a fresh nonce each time")
        #expect(await vault.subjects == ["citizen-1", "citizen-2"])

        #expect(try await vault.forget(subject: "citizen-1"))
        #expect(vault.open(sealed) == nil, "erased")
        #expect(vault.open(other) == Array("a neighbour's wall".utf8), "another subject's data stays")
        #expect(try await vault.forget(subject: "citizen-1") == false, "forgetting twice is harmless")
        #expect(await vault.subjects == ["citizen-2"])
        // A subject forgotten and seen again gets a new key; the old values stay erased.
        let again = try await vault.seal(text, for: "citizen-1")
        #expect(vault.open(again) == text && vault.open(sealed) == nil)
        #expect(vault.open([1, 2, 3]) == nil && vault.open(Array(repeating: 0, count: 60)) == nil, "damaged or unknown: erased, never a crash")
    }

    @Test("the keys survive a reopen with the master key; a wrong master key is a clear error that writes nothing")
    func masterKey() async throws {
        let keys = InMemoryKeyStorage()
        let master = SymmetricKey(size: .bits256)
        let sealed = try await PersonalDataVault(storage: keys, masterKey: master).seal(Array("summary".utf8), for: "citizen-7")
        let reopened = try await PersonalDataVault(storage: keys, masterKey: master)
        #expect(reopened.open(sealed) == Array("summary".utf8))
        let before = await keys.allKeys()
        let error = await #expect(throws: PersonalDataError.self) {
            _ = try await PersonalDataVault(storage: keys, masterKey: SymmetricKey(size: .bits256))
        }
        #expect(error?.code == .wrongMasterKey, "\(String(describing: error))")
        #expect(await keys.allKeys() == before, "nothing written")

        // Even before any subject has a key, the master key is checked.
        let empty = InMemoryKeyStorage()
        _ = try await PersonalDataVault(storage: empty, masterKey: master)
        await #expect(throws: PersonalDataError.self) { _ = try await PersonalDataVault(storage: empty, masterKey: SymmetricKey(size: .bits256)) }
    }

    @Test("many first uses of one subject at once make one key; bad subject ids are refused")
    func concurrentFirstUse() async throws {
        let keys = InMemoryKeyStorage()
        let vault = try await PersonalDataVault(storage: keys, masterKey: SymmetricKey(size: .bits256))
        let sealed = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for i in 0..<32 { group.addTask { try await vault.seal([UInt8(i)], for: "citizen-9") } }
            var all: [[UInt8]] = []
            for try await s in group { all.append(s) }
            return all
        }
        #expect(Set(sealed.map { Array($0.prefix(16)) }).count == 1, "one key id")
        #expect(sealed.allSatisfy { vault.open($0) != nil })
        #expect(await keys.allKeys().filter { $0.subject == "citizen-9" }.count == 1)
        for bad in ["", String(repeating: "x", count: 401), "a\u{0}b", "caseledger:master-key-check"] {
            await #expect(throws: PersonalDataError.self) { _ = try await vault.seal([1], for: bad) }
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard !subsequence.isEmpty, subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<($0 + subsequence.count)].elementsEqual(subsequence) }
    }
}
