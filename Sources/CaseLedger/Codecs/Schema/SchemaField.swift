import Foundation

/// A value a generated event codec reads and writes: in binary, the bytes
/// ``BinaryCodec`` writes for it; in JSON, the form ``JSONCodec`` writes.
///
/// The field types of event schemas (`*.events` files) conform: `String`,
/// `Int`, `Bool`, `Double`, `UUID`, ``Timestamp``, optionals, arrays, enums
/// backed by a string (``SchemaEnum``) and generated records.
///
/// ```swift
/// var w = ByteWriter()
/// "t-1".encode(binary: &w)
/// var r = ByteReader(...)
/// let id = try String(binary: &r)
/// ```
public protocol SchemaField: Sendable {
    /// How the type appears in schemas and fingerprints.
    static var schemaType: SchemaType { get }
    /// Reads the value from ``BinaryCodec``'s bytes.
    init(binary reader: inout ByteReader) throws(CodecError)
    /// Writes the value as ``BinaryCodec`` does.
    func encode(binary writer: inout ByteWriter)
    /// Reads the value from its JSON form.
    init(json: JSONValue) throws(CodecError)
    /// Writes the value's JSON form.
    func encode(json writer: inout JSONText)
}

/// The shape of a field type, for fingerprints and documentation.
public indirect enum SchemaType: Sendable, Hashable, CustomStringConvertible {
    case string, int, bool, double, uuid, timestamp
    case optional(SchemaType)
    case array(SchemaType)
    /// A string-backed enum with its cases.
    case enumeration(name: String, cases: [String])
    /// A record with its fields.
    case record(name: String, fields: [SchemaFieldDescription])

    public var description: String {
        switch self {
        case .string: return "String"
        case .int: return "Int"
        case .bool: return "Bool"
        case .double: return "Double"
        case .uuid: return "UUID"
        case .timestamp: return "Timestamp"
        case .optional(let t): return "\(t)?"
        case .array(let t): return "[\(t)]"
        case .enumeration(let name, _): return name
        case .record(let name, _): return name
        }
    }

    /// The type written out in full: enum cases and record fields included,
    /// so a fingerprint changes whenever the stored form could.
    public var fingerprint: String {
        switch self {
        case .optional(let t): return "\(t.fingerprint)?"
        case .array(let t): return "[\(t.fingerprint)]"
        case .enumeration(let name, let cases): return "\(name)(\(cases.joined(separator: "|")))"
        case .record(let name, let fields): return "\(name){\(fields.map(\.fingerprint).joined(separator: ", "))}"
        default: return description
        }
    }

    /// How the type is written in binary, for the format documentation.
    public var binaryLayout: String {
        switch self {
        case .string: return "LEB128 length + UTF-8"
        case .int: return "zig-zag LEB128"
        case .timestamp: return "microseconds since 1970, zig-zag LEB128"
        case .bool: return "1 byte (0 or 1)"
        case .double: return "8 bytes, IEEE 754 bits, big-endian"
        case .uuid: return "16 bytes"
        case .optional(let t): return "presence byte (0/1), then \(t.binaryLayout)"
        case .array(let t): return "4-byte big-endian count, then each: \(t.binaryLayout)"
        case .enumeration: return "its name: LEB128 length + UTF-8"
        case .record(_, let fields): return "its fields in order (\(fields.map(\.name).joined(separator: ", ")))"
        }
    }

    /// How the type is written in JSON, for the format documentation.
    public var jsonForm: String {
        switch self {
        case .string: return "string"
        case .int: return "integer"
        case .bool: return "true or false"
        case .double: return "number"
        case .uuid: return "string (8-4-4-4-12 hex)"
        case .timestamp: return "integer (microseconds since 1970)"
        case .optional(let t): return "\(t.jsonForm), key left out when absent"
        case .array(let t): return "array of \(t.jsonForm)"
        case .enumeration(_, let cases): return "one of \(cases.map { "`\($0)`" }.joined(separator: ", "))"
        case .record: return "object"
        }
    }
}

/// One field of a schema.
public struct SchemaFieldDescription: Sendable, Hashable {
    /// The field's name (its JSON key).
    public var name: String
    /// Its type.
    public var type: SchemaType
    /// When the field holds personal data: the field naming its data subject.
    public var personalSubject: String?
    /// What the field holds (its schema's `///` line); not part of the
    /// fingerprint.
    public var summary: String

    /// Creates a description.
    public init(_ name: String, _ type: SchemaType, personalSubject: String? = nil, summary: String = "") {
        self.name = name
        self.type = type
        self.personalSubject = personalSubject
        self.summary = summary
    }

    /// `name: Type`, with `personal(subject)` when the field is personal data.
    public var fingerprint: String {
        "\(name): \(type.fingerprint)" + (personalSubject.map { " personal(\($0))" } ?? "")
    }
}

/// A string-backed enum used as a field: stored as its raw value.
///
/// ```swift
/// public enum Level: String, SchemaEnum { case group, village, town, county, city }
/// ```
public protocol SchemaEnum: SchemaField, RawRepresentable, CaseIterable where RawValue == String {}

extension SchemaEnum {
    public static var schemaType: SchemaType {
        .enumeration(name: String(describing: Self.self), cases: allCases.map(\.rawValue))
    }

    public init(binary reader: inout ByteReader) throws(CodecError) {
        let raw = try reader.binaryString()
        guard let value = Self(rawValue: raw) else { throw CodecError("'\(raw)' is not a \(Self.self)") }
        self = value
    }

    public func encode(binary writer: inout ByteWriter) { writer.writeString(rawValue) }

    public init(json: JSONValue) throws(CodecError) {
        guard case .string(let raw) = json, let value = Self(rawValue: raw) else {
            throw CodecError("\(json) is not a \(Self.self) (one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = value
    }

    public func encode(json writer: inout JSONText) { writer.string(rawValue) }
}

/// A generated record: a struct of fields, written field by field in order
/// (binary) or as an object with sorted keys (JSON).
public protocol SchemaRecord: SchemaField {
    /// The fields, in declaration order.
    static var fields: [SchemaFieldDescription] { get }
    /// One sentence saying what the record or event is (its schema's `///`
    /// line), for the layout documentation.
    static var summary: String { get }
}

extension SchemaRecord {
    public static var schemaType: SchemaType { .record(name: String(describing: Self.self), fields: fields) }
}

extension String: SchemaField {
    public static var schemaType: SchemaType { .string }
    public init(binary reader: inout ByteReader) throws(CodecError) { self = try reader.binaryString() }
    public func encode(binary writer: inout ByteWriter) { writer.writeString(self) }
    public init(json: JSONValue) throws(CodecError) {
        guard case .string(let s) = json else { throw CodecError("\(json) is not a string") }
        self = s
    }
    public func encode(json writer: inout JSONText) { writer.string(self) }
}

extension Int: SchemaField {
    public static var schemaType: SchemaType { .int }
    public init(binary reader: inout ByteReader) throws(CodecError) { self = try reader.binaryInt() }
    public func encode(binary writer: inout ByteWriter) { writer.writeVarInt(Int64(self)) }
    public init(json: JSONValue) throws(CodecError) {
        switch json {
        case .integer(let n):
            guard let v = Int(exactly: n) else { throw CodecError("\(n) does not fit an Int") }
            self = v
        case .number(let d):
            guard let v = Int(exactly: d) else { throw CodecError("\(d) is not a whole number") }
            self = v
        default: throw CodecError("\(json) is not a number")
        }
    }
    public func encode(json writer: inout JSONText) { writer.integer(Int64(self)) }
}

extension Bool: SchemaField {
    public static var schemaType: SchemaType { .bool }
    public init(binary reader: inout ByteReader) throws(CodecError) { self = try reader.binaryBool() }
    public func encode(binary writer: inout ByteWriter) { writer.write(self ? 1 as UInt8 : 0) }
    public init(json: JSONValue) throws(CodecError) {
        guard case .bool(let b) = json else { throw CodecError("\(json) is not true or false") }
        self = b
    }
    public func encode(json writer: inout JSONText) { writer.bool(self) }
}

extension Double: SchemaField {
    public static var schemaType: SchemaType { .double }
    public init(binary reader: inout ByteReader) throws(CodecError) {
        do { self = Double(bitPattern: try reader.readUInt64()) } catch { throw CodecError(error.description) }
    }
    public func encode(binary writer: inout ByteWriter) { writer.write(bitPattern) }
    public init(json: JSONValue) throws(CodecError) {
        switch json {
        case .integer(let n): self = Double(n)
        case .number(let d): self = d
        default: throw CodecError("\(json) is not a number")
        }
    }
    public func encode(json writer: inout JSONText) { writer.number(self) }
}

extension UUID: SchemaField {
    public static var schemaType: SchemaType { .uuid }
    public init(binary reader: inout ByteReader) throws(CodecError) {
        do { self = try reader.readUUID() } catch { throw CodecError(error.description) }
    }
    public func encode(binary writer: inout ByteWriter) { writer.write(self) }
    public init(json: JSONValue) throws(CodecError) {
        guard case .string(let s) = json, let id = UUID(uuidString: s) else { throw CodecError("\(json) is not a UUID") }
        self = id
    }
    public func encode(json writer: inout JSONText) { writer.string(uuidString) }
}

extension Timestamp: SchemaField {
    public static var schemaType: SchemaType { .timestamp }
    public init(binary reader: inout ByteReader) throws(CodecError) { self = try reader.binaryTimestamp() }
    public func encode(binary writer: inout ByteWriter) { writer.writeVarInt(microsecondsSince1970) }
    public init(json: JSONValue) throws(CodecError) {
        guard case .integer(let n) = json else { throw CodecError("\(json) is not a time in microseconds since 1970") }
        self.init(microsecondsSince1970: n)
    }
    public func encode(json writer: inout JSONText) { writer.integer(microsecondsSince1970) }
}

extension Optional: SchemaField where Wrapped: SchemaField {
    public static var schemaType: SchemaType { .optional(Wrapped.schemaType) }
    public init(binary reader: inout ByteReader) throws(CodecError) {
        self = try reader.binaryPresent() ? try Wrapped(binary: &reader) : nil
    }
    public func encode(binary writer: inout ByteWriter) {
        if let value = self {
            writer.write(1 as UInt8)
            value.encode(binary: &writer)
        } else {
            writer.write(0 as UInt8)
        }
    }
    public init(json: JSONValue) throws(CodecError) {
        self = json == .null ? nil : try Wrapped(json: json)
    }
    public func encode(json writer: inout JSONText) {
        if let value = self { value.encode(json: &writer) } else { writer.null() }
    }
}

extension Array: SchemaField where Element: SchemaField {
    public static var schemaType: SchemaType { .array(Element.schemaType) }
    public init(binary reader: inout ByteReader) throws(CodecError) {
        let count = try reader.binaryCount()
        var out: [Element] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try Element(binary: &reader)) }
        self = out
    }
    public func encode(binary writer: inout ByteWriter) {
        writer.write(UInt32(truncatingIfNeeded: count))
        for element in self { element.encode(binary: &writer) }
    }
    public init(json: JSONValue) throws(CodecError) {
        guard case .array(let values) = json else { throw CodecError("\(json) is not an array") }
        var out: [Element] = []
        out.reserveCapacity(values.count)
        for v in values { out.append(try Element(json: v)) }
        self = out
    }
    public func encode(json writer: inout JSONText) {
        writer.beginArray()
        for element in self { element.encode(json: &writer) }
        writer.endArray()
    }
}

/// A case event generated from a schema (`*.events`): its type name, schema
/// version, fields, binary and JSON codecs all come from one definition.
///
/// ```swift
/// let bytes = TicketFiled(...).binary       // what BinaryCodec stores
/// print(TicketFiled.fingerprint)            // "TicketFiled v1 {ticketID: String, …}"
/// ```
public protocol SchemaEvent: DomainEvent, SchemaRecord, BinaryDecodableEvent {}

extension SchemaEvent {
    /// Name, schema version and fields written out in full: changes whenever
    /// the stored form of the event could.
    public static var fingerprint: String {
        "\(eventType) v\(schemaVersion) {\(fields.map(\.fingerprint).joined(separator: ", "))}"
    }

    /// The event's binary payload.
    public var binary: [UInt8] {
        var w = ByteWriter(capacity: 64)
        encode(binary: &w)
        return w.bytes
    }

    /// The event's JSON payload (keys sorted), personal fields as stored.
    public var json: [UInt8] { json(opensPersonal: false) }

    /// The event's JSON payload (keys sorted); with `opensPersonal`, personal
    /// fields decoded through a vault as they read (see ``JSONText/opensPersonal``).
    public func json(opensPersonal: Bool) -> [UInt8] {
        var w = JSONText()
        w.opensPersonal = opensPersonal
        encode(json: &w)
        return w.bytes
    }
}
