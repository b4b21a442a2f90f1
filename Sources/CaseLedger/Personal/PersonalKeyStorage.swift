/// A data subject's key as a key store keeps it: a random key id (what
/// sealed values name, so the log never names the subject) and the
/// 256-bit data key wrapped (AES-GCM) by the application's master key.
public struct WrappedSubjectKey: Sendable, Hashable {
    /// The data subject (a citizen's id).
    public var subject: String
    /// 16 random bytes, stored in front of every value sealed with the key.
    public var keyID: [UInt8]
    /// The data key sealed by the master key: nonce, ciphertext and tag.
    public var wrapped: [UInt8]

    /// Creates the record.
    public init(subject: String, keyID: [UInt8], wrapped: [UInt8]) {
        self.subject = subject
        self.keyID = keyID
        self.wrapped = wrapped
    }
}

/// Where subjects' keys are kept, beside the log: the small protocol a key
/// store implements (as ``EventStorage`` is for the log). It sees wrapped
/// keys only; ``PersonalDataVault`` wraps, unwraps, seals and opens.
///
/// Implementation requirements:
/// - ``insert(_:)`` is durable when it returns, and keeps a subject's first
///   key: inserting for a subject that has one returns the one kept.
/// - ``destroy(subject:)`` leaves no copy of the wrapped key in the store's
///   files (an LMDB environment keeps old pages after a write: compact it;
///   a database keeps dead rows: vacuum them), and is harmless when the
///   subject has no key.
/// - Errors are ``PersonalDataError`` with code ``PersonalDataError/Code/storage``.
///
/// ```swift
/// let keys = InMemoryKeyStorage()
/// let vault = try await PersonalDataVault(storage: keys, masterKey: master)
/// ```
public protocol PersonalKeyStorage: Sendable {
    /// Every key kept, in subject order.
    func allKeys() async throws(PersonalDataError) -> [WrappedSubjectKey]
    /// Keeps `key` durably, unless its subject has a key already: returns
    /// the key kept for the subject.
    func insert(_ key: WrappedSubjectKey) async throws(PersonalDataError) -> WrappedSubjectKey
    /// Keeps `keys` durably (all in one write where the store can), each
    /// unless its subject has a key already: returns the keys kept, in order.
    /// The default inserts one at a time.
    func insertAll(_ keys: [WrappedSubjectKey]) async throws(PersonalDataError) -> [WrappedSubjectKey]
    /// Destroys the subject's key, leaving no copy in the store's files;
    /// `false` when it had none.
    func destroy(subject: String) async throws(PersonalDataError) -> Bool
    /// Closes the store.
    func close() async
}

extension PersonalKeyStorage {
    public func insertAll(_ keys: [WrappedSubjectKey]) async throws(PersonalDataError) -> [WrappedSubjectKey] {
        var kept: [WrappedSubjectKey] = []
        kept.reserveCapacity(keys.count)
        for key in keys { kept.append(try await insert(key)) }
        return kept
    }
}

/// Keys in memory, for tests.
///
/// ```swift
/// let vault = try await PersonalDataVault(storage: InMemoryKeyStorage(), masterKey: SymmetricKey(size: .bits256))
/// ```
public actor InMemoryKeyStorage: PersonalKeyStorage {
    private var keys: [String: WrappedSubjectKey] = [:]

    /// An empty key store.
    public init() {}

    public func allKeys() -> [WrappedSubjectKey] {
        keys.values.sorted { $0.subject.utf8.lexicographicallyPrecedes($1.subject.utf8) }
    }

    public func insert(_ key: WrappedSubjectKey) -> WrappedSubjectKey {
        if let kept = keys[key.subject] { return kept }
        keys[key.subject] = key
        return key
    }

    public func destroy(subject: String) -> Bool { keys.removeValue(forKey: subject) != nil }

    public func close() {}
}
