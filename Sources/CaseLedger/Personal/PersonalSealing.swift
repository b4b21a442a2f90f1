/// What an event encoder seals personal fields with: synchronous, so the
/// generated codecs can call it, and only for subjects whose key is ready
/// (``PersonalDataVault/prepare(subjects:)`` creates missing ones first;
/// ``EventTypeRegistry/preparePersonalKeys(for:)`` does it for events).
///
/// ```swift
/// var writer = ByteWriter()
/// writer.personal = vault
/// PersonalText("wages unpaid").encode(binary: &writer, subject: "citizen-1")
/// ```
public protocol PersonalSealing: Sendable {
    /// The sealed form of `plaintext` for `subject`, or `nil` when the
    /// subject has no key ready.
    func sealIfReady(_ plaintext: [UInt8], for subject: String) -> [UInt8]?
}

/// What an event decoder opens sealed personal fields with.
///
/// ```swift
/// var reader = ByteReader(raw)
/// reader.personal = vault
/// let summary = try PersonalText(binary: &reader)   // erased when the subject was forgotten
/// ```
public protocol PersonalOpening: Sendable {
    /// The plaintext of a sealed value, or `nil` when its key is gone (erased).
    func open(_ sealed: [UInt8]) -> [UInt8]?

    /// The data subject whose key sealed the value, without decrypting it;
    /// `nil` when its key is gone (erased). A read model that needs to know
    /// whose a value is, not what it says, asks this instead of opening.
    func subject(of sealed: [UInt8]) -> String?
}

extension PersonalOpening {
    /// An opener that cannot tell whose a value is without opening it says
    /// `nil`: its values' ``PersonalText/subject`` reads as unknown.
    public func subject(of sealed: [UInt8]) -> String? { nil }
}
