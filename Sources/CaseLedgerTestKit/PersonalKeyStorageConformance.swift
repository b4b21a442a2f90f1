import CaseLedger
import Crypto

/// The checks every ``PersonalKeyStorage`` passes: keys kept and listed, a
/// subject's first key kept, destroy, and a vault over the store (seal,
/// reopen, forget, a wrong master key). Byte scans of the files are the
/// backends' own tests.
public enum PersonalKeyStorageConformance {
    /// Makes a fresh, empty key store (a second call for the same test gets
    /// another store).
    public typealias StorageFactory = @Sendable () async throws -> any PersonalKeyStorage

    /// One named check.
    public typealias Case = ConformanceCheck<StorageFactory>

    /// Every check.
    public static let cases: [Case] = [
        Case(name: "keys are kept and listed; a subject keeps its first key; destroy", body: keys),
        Case(name: "a vault over the store: seal, reopen, forget, a wrong master key", body: vault),
    ]

    static func keys(_ make: StorageFactory) async throws {
        let storage = try await make()
        func key(_ subject: String, _ byte: UInt8) -> WrappedSubjectKey {
            WrappedSubjectKey(subject: subject, keyID: Array(repeating: byte, count: 16), wrapped: Array(repeating: byte, count: 60))
        }
        try Expect.equal(try await storage.allKeys(), [], "an empty store")
        for (subject, byte) in [("citizen-b", 2), ("citizen-a", 1), ("citizen-ä", 3), ("Z", 4)] as [(String, UInt8)] {
            try Expect.equal(try await storage.insert(key(subject, byte)), key(subject, byte), "kept: \(subject)")
        }
        try Expect.equal(try await storage.insert(key("citizen-a", 9)), key("citizen-a", 1), "a subject keeps its first key")
        try Expect.equal(try await storage.insertAll([key("citizen-b", 7), key("citizen-c", 6)]), [key("citizen-b", 2), key("citizen-c", 6)],
                         "insertAll keeps new subjects' keys and returns the first key of the others")
        try Expect.that(try await storage.destroy(subject: "citizen-c"), "destroyed the batch's key")
        try Expect.equal(try await storage.allKeys().map(\.subject), ["Z", "citizen-a", "citizen-b", "citizen-ä"], "in UTF-8 order")
        try Expect.that(try await storage.destroy(subject: "citizen-a"), "destroyed")
        try Expect.that(try await !storage.destroy(subject: "citizen-a"), "destroying twice: false")
        try Expect.that(try await !storage.destroy(subject: "never"), "no key: false")
        try Expect.equal(try await storage.allKeys().map(\.subject), ["Z", "citizen-b", "citizen-ä"], "the others stay")
        try Expect.equal(try await storage.insert(key("citizen-a", 5)), key("citizen-a", 5), "a new key after destroy")
        await storage.close()
    }

    static func vault(_ make: StorageFactory) async throws {
        let storage = try await make()
        let master = SymmetricKey(size: .bits256)
        let vault = try await PersonalDataVault(storage: storage, masterKey: master)
        let text: [UInt8] = Array("wages unpaid".utf8)
        let sealed = try await vault.seal(text, for: "citizen-1")
        let other = try await vault.seal(text, for: "citizen-2")
        try Expect.equal(vault.open(sealed), text, "opens")
        let reopened = try await PersonalDataVault(storage: storage, masterKey: master)
        try Expect.equal(reopened.open(sealed), text, "opens after a reopen")
        let before = try await storage.allKeys()
        do {
            _ = try await PersonalDataVault(storage: storage, masterKey: SymmetricKey(size: .bits256))
            throw ConformanceFailure("a wrong master key was accepted")
        } catch let error as PersonalDataError {
            try Expect.equal(error.code, .wrongMasterKey, "a wrong master key: \(error)")
        }
        try Expect.equal(try await storage.allKeys(), before, "a wrong master key writes nothing")
        try Expect.that(try await reopened.forget(subject: "citizen-1"), "forgotten")
        try Expect.that(reopened.open(sealed) == nil, "erased")
        try Expect.equal(reopened.open(other), text, "another subject stays")
        let fresh = try await PersonalDataVault(storage: storage, masterKey: master)
        try Expect.that(fresh.open(sealed) == nil, "erased for a vault opened afterwards")
        try Expect.that(try await !fresh.forget(subject: "citizen-1"), "forgetting twice is harmless")
        await storage.close()
    }
}
