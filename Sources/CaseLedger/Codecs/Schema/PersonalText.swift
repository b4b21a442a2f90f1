import Foundation

/// A personal field of an event: text that belongs to a data subject and is
/// stored sealed under the subject's key when the registry has a
/// ``PersonalDataVault`` (crypto-shredding). Once the subject is forgotten
/// the value reads as erased: ``text`` is `nil`, never an error.
///
/// Declared in a schema file as `summary: String personal(filerID)` (the
/// field `filerID` names the subject); the generated codec seals it.
///
/// ```swift
/// let filed = TicketFiled(..., filerID: "citizen-1", summary: "wages unpaid", ...)
/// let read = try registry.decode(recorded, as: TicketFiled.self)
/// print(read.summary.text ?? "[erased]")   // opened here, not when decoded
/// print(read.summary.subject ?? "[erased]") // "citizen-1", nothing decrypted
/// ```
///
/// A sealed value decoded through a vault is opened when ``text`` is read,
/// each time it is read (keep the result), and not before: a read model that
/// stores the value, or only asks whose it is (``subject``), decrypts
/// nothing. A value read after its subject is forgotten reads as erased,
/// even when it was decoded before.
///
/// Binary form: a tag byte, then for 0 (in clear) the text as LEB128 length
/// and UTF-8, for 1 (sealed) the sealed value as LEB128 length and bytes
/// (key id, nonce, ciphertext, tag), for 2 (erased, no ciphertext kept)
/// nothing. JSON form: the text as a string in clear, `{"sealed": base64}`
/// sealed (the plaintext never appears in JSON once sealed, unless a reader
/// holding the vault asks with ``JSONText/opensPersonal``), `{"erased": true}`.
public struct PersonalText: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The text when the value is in clear (never sealed).
    private let clear: String?
    /// The stored sealed value, when the text was sealed.
    public let sealed: [UInt8]?
    /// What opens ``sealed`` when the text is read (the registry's vault).
    private let opener: (any PersonalOpening)?
    /// The subject of a value in clear, as the event that holds it names it.
    private var attributed: String?

    /// Text in clear, sealed when it is encoded through a registry with a vault.
    public init(_ text: String) {
        clear = text
        sealed = nil
        opener = nil
    }

    public init(stringLiteral value: String) { self.init(value) }

    init(sealed: [UInt8]?, opener: (any PersonalOpening)?) {
        clear = nil
        self.sealed = sealed
        self.opener = opener
    }

    /// An erased value that keeps no ciphertext: what a read model holds
    /// for a forgotten subject.
    public static let erased = PersonalText(sealed: nil, opener: nil)

    /// The text, or `nil` when erased (its subject was forgotten, or the
    /// key is not at hand). A sealed value is opened on each read.
    public var text: String? {
        if let clear { return clear }
        guard let sealed, let opener, let plain = opener.open(sealed) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    /// The data subject the value belongs to, or `nil` when erased: for a
    /// sealed value the subject whose key sealed it (looked up by key id,
    /// nothing decrypted); for a value in clear the subject the event's
    /// subject field names (set when the event is decoded).
    public var subject: String? {
        if let sealed { return opener?.subject(of: sealed) }
        return clear == nil ? nil : attributed
    }

    /// Names the subject of a value in clear; a sealed value's subject is
    /// its key's, so this changes nothing for it. Generated decoders call it
    /// with the event's subject field.
    public mutating func attribute(to subject: String?) {
        if clear != nil { attributed = subject }
    }

    /// Whether the text is gone.
    public var isErased: Bool { text == nil }

    /// The text, or `[erased]`.
    public var description: String { text ?? "[erased]" }

    /// Equal when stored alike: the same text in clear, or the same sealed
    /// bytes (compare ``text`` to compare what two values say). Never
    /// decrypts, and does not change when a subject is forgotten.
    public static func == (a: PersonalText, b: PersonalText) -> Bool {
        a.clear == b.clear && a.sealed == b.sealed
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(clear)
        hasher.combine(sealed)
    }

    /// Writes the value; text in clear is sealed for `subject` when the
    /// writer has a sealer (a missing key is noted in
    /// ``ByteWriter/unsealedSubjects``). `subject` is only evaluated then,
    /// so writing a sealed value back never opens its subject field.
    public func encode(binary writer: inout ByteWriter, subject: @autoclosure () -> String?) {
        if let sealed {
            writer.write(UInt8(1))
            writer.writeBytes(sealed)
        } else if let text = clear {
            if let sealer = writer.personal {
                let subject = subject()
                if let subject, let sealed = sealer.sealIfReady(Array(text.utf8), for: subject) {
                    writer.write(UInt8(1))
                    writer.writeBytes(sealed)
                    return
                }
                writer.unsealedSubjects.append(subject ?? "")
            }
            writer.write(UInt8(0))
            writer.writeString(text)
        } else {
            writer.write(UInt8(2))
        }
    }

    /// Writes an optional value as optionals are written (a presence byte).
    public static func encode(_ value: PersonalText?, binary writer: inout ByteWriter, subject: @autoclosure () -> String?) {
        guard let value else {
            writer.write(UInt8(0))
            return
        }
        writer.write(UInt8(1))
        value.encode(binary: &writer, subject: subject())
    }

    private enum CodingKeys: String, CodingKey { case tag, text, sealed }

    /// Codable (snapshots, read-model rows) keeps the sealed value when there
    /// is one, never its text: a tag (0 clear, 1 sealed, 2 erased), then the
    /// text or the sealed bytes (in base64: one string, not a value per
    /// byte, which made saving a read model of sealed rows three times
    /// slower). Decoding cannot open a sealed value (no
    /// vault), so it reads as erased until ``opened(with:)``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let sealed {
            try container.encode(UInt8(1), forKey: .tag)
            try container.encode(Data(sealed).base64EncodedString(), forKey: .sealed)
        } else if let text = clear {
            try container.encode(UInt8(0), forKey: .tag)
            try container.encode(text, forKey: .text)
        } else {
            try container.encode(UInt8(2), forKey: .tag)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(UInt8.self, forKey: .tag) {
        case 0: self.init(try container.decode(String.self, forKey: .text))
        case 1:
            guard let sealed = Data(base64Encoded: try container.decode(String.self, forKey: .sealed)) else {
                throw CodecError("a sealed personal value is not base64")
            }
            self.init(sealed: Array(sealed), opener: nil)
        case 2: self = .erased
        case let tag: throw CodecError("\(tag) is not a personal value's tag")
        }
    }

    /// The value, sealed, with `opener` to open it when its text is read (a
    /// read model's row read back from storage): its text while `opener`
    /// still has the key, erased after the subject is forgotten.
    ///
    /// ```swift
    /// let summary = row.summary.opened(with: vault).text ?? "[erased]"
    /// ```
    public func opened(with opener: some PersonalOpening) -> PersonalText {
        guard clear == nil, let sealed else { return self }
        return PersonalText(sealed: sealed, opener: opener)
    }
}

extension PersonalText: SchemaField {
    /// A personal field is declared as `String` with `personal(subject)`.
    public static var schemaType: SchemaType { .string }

    public init(binary reader: inout ByteReader) throws(CodecError) {
        let tag: UInt8
        do { tag = try reader.readUInt8() } catch { throw CodecError(error.description) }
        switch tag {
        case 0:
            self.init(try reader.binaryString())
        case 1:
            let sealed: [UInt8]
            do { sealed = try reader.readLengthPrefixedBytes() } catch { throw CodecError(error.description) }
            self.init(sealed: sealed, opener: reader.personal)
        case 2:
            self = .erased
        default:
            throw CodecError("byte \(tag) is not a personal field's tag (0 clear, 1 sealed, 2 erased)")
        }
    }

    /// Writes the value without sealing (a subject is needed to seal).
    public func encode(binary writer: inout ByteWriter) { encode(binary: &writer, subject: nil) }

    public init(json: JSONValue) throws(CodecError) {
        switch json {
        case .string(let s):
            self.init(s)
        case .object:
            let object = try json.object("a personal field")
            if let sealed = object.optional("sealed") {
                try object.only(["sealed"])
                guard case .string(let text) = sealed, let data = Data(base64Encoded: text) else {
                    throw CodecError("a personal field's \"sealed\" must be base64")
                }
                self.init(sealed: Array(data), opener: nil)
            } else {
                try object.only(["erased"])
                guard object.optional("erased") == .bool(true) else { throw CodecError("a personal field is a string, {\"sealed\": base64} or {\"erased\": true}") }
                self = .erased
            }
        default:
            throw CodecError("a personal field is a string, {\"sealed\": base64} or {\"erased\": true}")
        }
    }

    /// Writes the JSON form as stored (`{"sealed": base64}`, the text in
    /// clear, or `{"erased": true}`); with ``JSONText/opensPersonal``, a
    /// value decoded through a vault as it reads (its text, or
    /// `{"erased": true}` once its subject is forgotten).
    public func encode(json writer: inout JSONText) {
        if let sealed, opener == nil || !writer.opensPersonal {
            writer.beginObject()
            writer.key("sealed")
            writer.string(Data(sealed).base64EncodedString())
            writer.endObject()
        } else if let text {
            writer.string(text)
        } else {
            writer.beginObject()
            writer.key("erased")
            writer.bool(true)
            writer.endObject()
        }
    }
}
