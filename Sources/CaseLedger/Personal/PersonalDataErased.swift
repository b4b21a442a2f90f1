import Foundation

/// A data subject was forgotten: their key was destroyed, so every personal
/// field sealed for them reads as erased. It names the subject's id and the
/// reason, and no personal data. Appended by
/// ``PersonalDataVault/forget(subject:reason:in:metadata:)`` to the stream
/// ``stream``, once per subject (its event id is derived from the subject).
///
/// ```swift
/// h.on(PersonalDataErased.self) { erased, _, board in board.forget(filer: erased.subject) }
/// ```
public struct PersonalDataErased: SchemaEvent, Hashable {
    public static let eventType = "PersonalDataErased"
    public static let summary = "A data subject was forgotten: their key was destroyed; the event names the subject and the reason, no personal data."
    public static var fields: [SchemaFieldDescription] {
        [
            SchemaFieldDescription("subject", String.schemaType, summary: "The subject's id (a pseudonym, as the personal fields named it)."),
            SchemaFieldDescription("reason", String.schemaType, summary: "Why, for the record (a request, a retention period ended, credit repaired)."),
        ]
    }

    /// The stream erasures are appended to.
    public static let stream = "personal-erasures"

    /// The subject's id.
    public var subject: String
    /// Why the subject was forgotten.
    public var reason: String

    /// Creates the event.
    public init(subject: String, reason: String) {
        self.subject = subject
        self.reason = reason
    }

    public init(binary reader: inout ByteReader) throws(CodecError) {
        subject = try String(binary: &reader)
        reason = try String(binary: &reader)
    }

    public func encode(binary writer: inout ByteWriter) {
        subject.encode(binary: &writer)
        reason.encode(binary: &writer)
    }

    public init(json: JSONValue) throws(CodecError) {
        let object = try json.object("PersonalDataErased")
        try object.only(["subject", "reason"])
        subject = try String(json: object.field("subject"))
        reason = try String(json: object.field("reason"))
    }

    public func encode(json writer: inout JSONText) {
        writer.beginObject()
        writer.key("reason")
        reason.encode(json: &writer)
        writer.key("subject")
        subject.encode(json: &writer)
        writer.endObject()
    }

    /// The event id of a subject's erasure: the same for every attempt, so
    /// a repeated forget appends nothing.
    static func eventID(subject: String) -> UUID {
        EventIDStrategy.derive(namespace: namespace, parts: [subject], number: 0)
    }

    private static let namespace = EventIDStrategy.derive(namespace: UUID(uuid: (0x0C, 0x45, 0xE0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0xE5)), parts: ["personal-erasure"], number: 0)
}

/// What ``PersonalDataVault/forget(subject:reason:in:metadata:)`` did.
public struct ForgetResult: Sendable, Hashable {
    /// The log position of the subject's erasure event (the first one,
    /// when it was recorded before).
    public var erasurePosition: UInt64?
    /// Whether this call appended the erasure event (`false`: it was there).
    public var recordedErasure: Bool
    /// Whether this call destroyed a key (`false`: the subject had none).
    public var destroyedKey: Bool
}

extension PersonalKeyStorage {
    /// Forgets `subject`: appends a ``PersonalDataErased`` event (once; a
    /// repeat finds it) and then destroys the subject's key, leaving no copy
    /// in the key store's files. Idempotent: forgetting twice changes
    /// nothing the second time. A key store failure after the event leaves
    /// the key in place; forgetting again completes it.
    ///
    /// ```swift
    /// let keys = try LMDBKeyStorage(path: storePath + "/keys")
    /// try await keys.forget(subject: "citizen-1", reason: "request 2026-118", in: store)
    /// ```
    ///
    /// - Throws: ``PersonalDataError`` (an invalid subject or an empty
    ///   reason: nothing is written; the store or key store failing).
    @discardableResult
    public func forget(subject: String, reason: String, in store: some EventStore,
                       metadata: EventMetadata = EventMetadata()) async throws(PersonalDataError) -> ForgetResult {
        try PersonalDataVault.check(subject)
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw PersonalDataError(.invalidSubject, "a forget needs a reason (it is recorded with the erasure)")
        }
        let id = PersonalDataErased.eventID(subject: subject)
        let event = PersonalDataErased(subject: subject, reason: reason)
        var recorded = false
        var position: UInt64?
        do {
            let stream = try StreamName(PersonalDataErased.stream)
            let data = EventData(id: id, type: PersonalDataErased.eventType, schemaVersion: PersonalDataErased.schemaVersion,
                                 payload: event.binary, metadata: metadata)
            let result = try await store.append([data], to: stream)
            recorded = !result.wasAlreadyStored
            position = result.positions.first
        } catch where error.code == .eventIDReused {
            // Recorded before (with another reason or time): that one stands.
            position = error.position
        } catch {
            throw PersonalDataError(.storage, "recording the erasure failed: \(error.message)")
        }
        let destroyed = try await destroy(subject: subject)
        return ForgetResult(erasurePosition: position, recordedErasure: recorded, destroyedKey: destroyed)
    }
}

extension PersonalDataVault {
    /// Forgets `subject` (see ``PersonalKeyStorage/forget(subject:reason:in:metadata:)``)
    /// and drops its key from the vault's memory: from now on every value
    /// sealed for it reads as erased.
    ///
    /// ```swift
    /// try await vault.forget(subject: "citizen-1", reason: "request 2026-118", in: store)
    /// ```
    @discardableResult
    public func forget(subject: String, reason: String, in store: some EventStore,
                       metadata: EventMetadata = EventMetadata()) async throws(PersonalDataError) -> ForgetResult {
        let result = try await keyStorage.forget(subject: subject, reason: reason, in: store, metadata: metadata)
        dropCached(subject: subject)
        return result
    }
}
