import Foundation

/// The export file: one JSON object per line (NDJSON), format 2.
///
/// - One line per event, in position order, keys sorted: `data` (the payload
///   as readable JSON: a case event through its type, a JSON payload as it
///   is, anything else as `{"base64": …}`), `eventId`, `hash` (the record's
///   audit hash, hex), `metadata` (`actor`, `causationId`, `correlationId`
///   when present, and `properties`), `payload` (the payload bytes, base64),
///   `position`, `recordedAt` (ISO 8601, UTC, microseconds), `schemaVersion`,
///   `stream`, `type`, `version`.
/// - Then one `{"checkpoint": {…}}` line per signed checkpoint the store keeps.
/// - Last, `{"trailer": {"events": N, "format": 2, "headHash": H, "headPosition": N}}`:
///   a file cut short at a line boundary lacks it.
///
/// The hash covers the record's canonical bytes, rebuilt from `position`,
/// `stream`, `version`, `eventId`, `recordedAt`, `schemaVersion`, `type`,
/// `metadata` and `payload`. `data` is derived for people and not hashed; an
/// importer refuses a line whose `data` disagrees with its `payload`.
public enum ArchiveFormat {
    /// The format written.
    public static let version = 2

    /// The readable form of a payload: a case event's JSON through the
    /// registry, a JSON payload parsed, anything else `{"base64": …}`.
    /// With `opening`, personal fields show as the registry's vault reads
    /// them (see ``EventTypeRegistry/jsonPayload(type:schemaVersion:payload:opening:)``);
    /// an export never opens them.
    public static func data(type: String, schemaVersion: UInt16, payload: [UInt8], registry: EventTypeRegistry, opening: Bool = false) -> [UInt8] {
        if registry.schemaVersion(of: type) == schemaVersion,
           let json = try? registry.jsonPayload(type: type, schemaVersion: schemaVersion, payload: payload, opening: opening) {
            return json
        }
        if jsonPayload(payload) != nil { return payload }
        var out = Array(#"{"base64":""#.utf8)
        out += Array(Data(payload).base64EncodedString().utf8)
        out += Array(#""}"#.utf8)
        return out
    }

    /// A payload that is JSON text (UTF-8, one value, as the strict parser
    /// reads it), parsed; `nil` for anything else.
    static func jsonPayload(_ payload: [UInt8]) -> JSONValue? {
        guard !payload.isEmpty else { return nil }
        return try? JSONValue.parse(payload)
    }

    /// One event's line (without the newline); also what `caseledger read` prints.
    ///
    /// ```swift
    /// print(String(decoding: ArchiveFormat.eventLine(event, registry: registry), as: UTF8.self))
    /// ```
    public static func eventLine(_ event: RecordedEvent, registry: EventTypeRegistry, opening: Bool = false) -> [UInt8] {
        var w = JSONWriter()
        w.raw("{\"data\":")
        w.bytes(data(type: event.type, schemaVersion: event.schemaVersion, payload: event.payload, registry: registry, opening: opening))
        w.raw(",\"eventId\":")
        w.string(event.id.uuidString.lowercased())
        w.raw(",\"hash\":")
        w.string(event.hash.hex)
        w.raw(",\"metadata\":{")
        let m = event.metadata
        if let a = m.actor {
            w.raw("\"actor\":")
            w.string(a)
            w.raw(",")
        }
        if let c = m.causationID {
            w.raw("\"causationId\":")
            w.string(c.uuidString.lowercased())
            w.raw(",")
        }
        if let c = m.correlationID {
            w.raw("\"correlationId\":")
            w.string(c.uuidString.lowercased())
            w.raw(",")
        }
        w.raw("\"properties\":{")
        for (i, (k, v)) in m.properties.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
            if i > 0 { w.raw(",") }
            w.string(k)
            w.raw(":")
            w.string(v)
        }
        w.raw("}},\"payload\":")
        w.string(Data(event.payload).base64EncodedString())
        w.raw(",\"position\":\(event.position),\"recordedAt\":")
        w.string(event.recordedAt.iso8601)
        w.raw(",\"schemaVersion\":\(event.schemaVersion),\"stream\":")
        w.string(event.stream.value)
        w.raw(",\"type\":")
        w.string(event.type)
        w.raw(",\"version\":\(event.streamVersion)}")
        return w.out
    }

    /// Checks one event line of an export as an importer does: its position,
    /// its fields against its hash chained from `previous`, its `data`
    /// against its `payload`, a case event's payload against its type.
    ///
    /// ```swift
    /// let hash = try ArchiveFormat.checkEventLine(Array(line.utf8), position: 1, previous: .genesis, registry: registry)
    /// ```
    ///
    /// - Returns: the line's hash, the `previous` of the next line.
    /// - Throws: ``EventStoreError`` (`invalidArgument`) saying what is wrong.
    public static func checkEventLine(_ line: [UInt8], position: UInt64, previous: AuditHash,
                                      registry: EventTypeRegistry) throws(EventStoreError) -> AuditHash {
        let event = try ArchiveLine.event(line, number: position, registry: registry)
        try event.follows(previous, at: position)
        return event.hash
    }

    /// A checkpoint's line.
    static func checkpointLine(_ checkpoint: SignedCheckpoint) throws(CodecError) -> [UInt8] {
        Array(#"{"checkpoint":"#.utf8) + (try JSONCodec().encode(checkpoint)) + [UInt8(ascii: "}")]
    }

    /// The trailer's line.
    static func trailerLine(_ trailer: ArchiveTrailer) -> [UInt8] {
        Array(#"{"trailer":{"events":\#(trailer.events),"format":\#(version),"headHash":"\#(trailer.headHash)","headPosition":\#(trailer.headPosition)}}"#.utf8)
    }
}

/// The last line of an export: how many events it holds and where it ends.
public struct ArchiveTrailer: Hashable, Sendable, Codable {
    /// Event lines in the file.
    public var events: UInt64
    /// The last event's position.
    public var headPosition: UInt64
    /// The last event's hash, hex ("" for an empty log).
    public var headHash: String
}

/// Appends JSON text to a byte buffer.
struct JSONWriter {
    var out: [UInt8] = []

    init() { out.reserveCapacity(512) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        out.append(contentsOf: text.utf8)
    }

    mutating func bytes(_ bytes: [UInt8]) {
        out.append(contentsOf: bytes)
    }

    /// A JSON string: quotes, backslashes and control characters escaped;
    /// everything else as UTF-8.
    mutating func string(_ text: String) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
