import Crypto
import Foundation

/// Personal data sealed per data subject (crypto-shredding): each subject
/// has an AES-GCM data key, created on first use and kept wrapped by the
/// application's master key in a ``PersonalKeyStorage``. A value sealed for a
/// subject names only the key's random id. Forgetting the subject destroys
/// the key, so every value sealed for it reads as erased, while the log that
/// holds the ciphertext, and its hash chain, stay as they were.
///
/// ```swift
/// let vault = try await PersonalDataVault(storage: keys, masterKey: master)
/// let sealed = try await vault.seal(Array("wages unpaid".utf8), for: "citizen-1")
/// vault.open(sealed)                          // the bytes, while the key exists
/// try await vault.forget(subject: "citizen-1")
/// vault.open(sealed)                          // nil: erased
/// ```
///
/// A sealed value is the key id (16 bytes), the nonce (12), the ciphertext
/// and the tag (16).
public actor PersonalDataVault: PersonalSealing, PersonalOpening {
    private let storage: any PersonalKeyStorage
    /// The key store.
    nonisolated var keyStorage: any PersonalKeyStorage { storage }
    private let master: SymmetricKey
    /// The keys held, by key id and by subject; read without the actor by
    /// ``open(_:)`` and ``subject(of:)`` (folds and decoders are synchronous).
    private let cache: Locked<HeldKeys>

    /// The subject under which a check value is kept: a master key that
    /// does not open it is the wrong one, even before any subject has a key.
    /// (Not a subject id: ids are refused when they equal it.)
    static let checkSubject = "caseledger:master-key-check"

    /// Opens the vault: unwraps every kept key with `masterKey`.
    ///
    /// - Throws: ``PersonalDataError/Code/wrongMasterKey`` when `masterKey`
    ///   did not wrap the keys kept (nothing is written then);
    ///   ``PersonalDataError/Code/storage`` when the key store fails.
    public init(storage: some PersonalKeyStorage, masterKey: SymmetricKey) async throws(PersonalDataError) {
        self.storage = storage
        master = masterKey
        var held = HeldKeys()
        var checked = false
        for kept in try await storage.allKeys() {
            guard let key = Self.unwrap(kept, with: masterKey) else {
                throw PersonalDataError(.wrongMasterKey, "the master key does not open the keys kept (the key of \(kept.subject == Self.checkSubject ? "the master-key check" : "a subject") does not unwrap)")
            }
            if kept.subject == Self.checkSubject {
                checked = true
                continue
            }
            guard let key = HeldKey(kept, key) else { throw PersonalDataError(.damaged, "a kept key's id is not 16 bytes") }
            held.insert(key)
        }
        cache = Locked(held)
        if !checked { _ = try await storage.insert(try Self.wrap(SymmetricKey(size: .bits256), subject: Self.checkSubject, with: masterKey)) }
    }

    /// The subjects that have a key.
    public var subjects: [String] { cache.withLock { $0.bySubject.keys.sorted() } }

    /// Seals `plaintext` for `subject`, creating and keeping its key first
    /// when it has none.
    public func seal(_ plaintext: [UInt8], for subject: String) async throws(PersonalDataError) -> [UInt8] {
        let (keyID, key) = try await key(for: subject)
        return try Self.seal(plaintext, keyID: keyID, key: key)
    }

    static func seal(_ plaintext: [UInt8], keyID: [UInt8], key: SymmetricKey) throws(PersonalDataError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: keyID)
            guard let combined = box.combined else { throw PersonalDataError(.damaged, "AES-GCM gave no combined form") }
            return keyID + Array(combined)
        } catch let error as PersonalDataError {
            throw error
        } catch {
            throw PersonalDataError(.damaged, "sealing failed: \(error)")
        }
    }

    /// Creates (and keeps, durably) the keys of the subjects that have none,
    /// so values for them can be sealed synchronously by ``sealIfReady(_:for:)``.
    ///
    /// - Throws: ``PersonalDataError/Code/invalidSubject`` for an id that
    ///   cannot be a subject; ``PersonalDataError/Code/storage`` when the key
    ///   store fails.
    public func prepare(subjects: some Sequence<String>) async throws(PersonalDataError) {
        var missing: [String] = []
        var seen = Set<String>()
        for subject in subjects where seen.insert(subject).inserted {
            try Self.check(subject)
            if cachedKey(for: subject) == nil { missing.append(subject) }
        }
        guard !missing.isEmpty else { return }
        // Kept (durably, in one write where the store can) before any value
        // is sealed with them; a subject kept meanwhile keeps its first key.
        var fresh: [WrappedSubjectKey] = []
        var made: [KeyID: SymmetricKey] = [:]
        fresh.reserveCapacity(missing.count)
        for subject in missing {
            let key = SymmetricKey(size: .bits256)
            let wrapped = try Self.wrap(key, subject: subject, with: master)
            fresh.append(wrapped)
            if let id = KeyID(prefixOf: wrapped.keyID) { made[id] = key }
        }
        var opened: [HeldKey] = []
        opened.reserveCapacity(fresh.count)
        for kept in try await storage.insertAll(fresh) {
            // Our own key as made; one kept first by another writer, unwrapped.
            let ours = KeyID(prefixOf: kept.keyID).flatMap { made[$0] }
            guard let key = ours ?? Self.unwrap(kept, with: master), let held = HeldKey(kept, key) else {
                throw PersonalDataError(.damaged, "the key kept for a subject does not unwrap")
            }
            opened.append(held)
        }
        cache.withLock { cache in
            for held in opened { cache.insert(held) }
        }
    }

    static func check(_ subject: String) throws(PersonalDataError) {
        guard !subject.isEmpty, subject.utf8.count <= 400, !subject.utf8.contains(0), subject != checkSubject else {
            throw PersonalDataError(.invalidSubject, "a subject id is 1 to 400 bytes, without NUL: \(subject.debugDescription)")
        }
    }

    /// Seals `plaintext` for `subject` when its key is ready (see
    /// ``prepare(subjects:)``); `nil` otherwise.
    public nonisolated func sealIfReady(_ plaintext: [UInt8], for subject: String) -> [UInt8]? {
        guard let (keyID, key) = cachedKey(for: subject) else { return nil }
        return try? Self.seal(plaintext, keyID: keyID, key: key)
    }

    /// The plaintext of a sealed value, or `nil` when its subject was
    /// forgotten (or the value is damaged): erased.
    public nonisolated func open(_ sealed: [UInt8]) -> [UInt8]? {
        guard sealed.count >= 16 + 12 + 16, let id = KeyID(prefixOf: sealed), let held = cache.withLock({ $0.byID[id] }),
              let box = try? AES.GCM.SealedBox(combined: sealed[16...]),
              let plaintext = try? AES.GCM.open(box, using: held.key, authenticating: held.idBytes) else { return nil }
        return Array(plaintext)
    }

    /// The subject whose key sealed `sealed`, found by the key id the value
    /// begins with; nothing is decrypted (so the value is not authenticated
    /// here: ``open(_:)`` does that, `verify` covers the stored bytes).
    /// `nil` once the subject is forgotten: erased.
    public nonisolated func subject(of sealed: [UInt8]) -> String? {
        guard let id = KeyID(prefixOf: sealed) else { return nil }
        return cache.withLock { $0.subjectByID[id] }
    }

    /// Destroys `subject`'s key: every value sealed for it reads as erased
    /// from now on, and the key store keeps no copy. `false` when the subject
    /// had no key (forgetting twice is harmless).
    @discardableResult
    public func forget(subject: String) async throws(PersonalDataError) -> Bool {
        let destroyed = try await storage.destroy(subject: subject)
        dropCached(subject: subject)
        return destroyed
    }

    func dropCached(subject: String) {
        cache.withLock { cache in
            cache.remove(subject: subject)
        }
    }

    /// The subject's key id and data key, created and kept on first use.
    private func key(for subject: String) async throws(PersonalDataError) -> ([UInt8], SymmetricKey) {
        if let known = cachedKey(for: subject) { return known }
        try await prepare(subjects: CollectionOfOne(subject))
        guard let known = cachedKey(for: subject) else {
            throw PersonalDataError(.damaged, "the key kept for \(subject.debugDescription) is not in the vault")
        }
        return known
    }

    /// The subject's key id and data key when the vault holds them.
    private nonisolated func cachedKey(for subject: String) -> ([UInt8], SymmetricKey)? {
        cache.withLock { cache in cache.bySubject[subject].map { ($0.idBytes, $0.key) } }
    }

    static func wrap(_ key: SymmetricKey, subject: String, with master: SymmetricKey) throws(PersonalDataError) -> WrappedSubjectKey {
        var keyID = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in keyID.indices { keyID[i] = UInt8.random(in: .min ... .max, using: &generator) }
        let raw = key.withUnsafeBytes { Array($0) }
        do {
            let box = try AES.GCM.seal(raw, using: master, authenticating: keyID + Array(subject.utf8))
            guard let combined = box.combined else { throw PersonalDataError(.damaged, "AES-GCM gave no combined form") }
            return WrappedSubjectKey(subject: subject, keyID: keyID, wrapped: Array(combined))
        } catch let error as PersonalDataError {
            throw error
        } catch {
            throw PersonalDataError(.damaged, "wrapping a key failed: \(error)")
        }
    }

    static func unwrap(_ kept: WrappedSubjectKey, with master: SymmetricKey) -> SymmetricKey? {
        guard let box = try? AES.GCM.SealedBox(combined: kept.wrapped),
              let raw = try? AES.GCM.open(box, using: master, authenticating: kept.keyID + Array(kept.subject.utf8)) else { return nil }
        return SymmetricKey(data: raw)
    }
}

/// A key id (the 16 random bytes a sealed value begins with) as two words:
/// hashed and compared without copying the bytes out of the value.
struct KeyID: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init?(prefixOf bytes: [UInt8]) {
        guard bytes.count >= 16 else { return nil }
        (high, low) = bytes.withUnsafeBytes { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
    }
}

/// The keys a vault holds in memory, by key id and by subject, and the
/// subjects by key id on their own (the one lookup a read model that
/// attributes sealed values makes per value: a small entry, fewer cache
/// misses across many citizens).
struct HeldKeys {
    var byID: [KeyID: HeldKey] = [:]
    var bySubject: [String: HeldKey] = [:]
    var subjectByID: [KeyID: String] = [:]

    mutating func insert(_ held: HeldKey) {
        byID[held.id] = held
        bySubject[held.subject] = held
        subjectByID[held.id] = held.subject
    }

    mutating func remove(subject: String) {
        guard let held = bySubject.removeValue(forKey: subject) else { return }
        byID[held.id] = nil
        subjectByID[held.id] = nil
    }
}

/// A subject's data key as the vault holds it in memory.
struct HeldKey: Sendable {
    let id: KeyID
    let idBytes: [UInt8]
    let key: SymmetricKey
    let subject: String

    init?(_ kept: WrappedSubjectKey, _ key: SymmetricKey) {
        guard kept.keyID.count == 16, let id = KeyID(prefixOf: kept.keyID) else { return nil }
        self.id = id
        idBytes = kept.keyID
        self.key = key
        subject = kept.subject
    }
}
