import CaseLedger
import Foundation

/// One event as an NDJSON line: `position`, `stream`, `version`, `eventId`,
/// `type`, `schemaVersion`, `recordedAt`, `data` (the payload as JSON),
/// `metadata`, `hash`, and `payload` (the stored bytes, base64, so an import
/// restores them exactly).
enum EventLine {
    /// The payload as a JSON value: decoded through the registry for known
    /// types, parsed when it is JSON, else `{"base64": …}`.
    static func data(of event: RecordedEvent, registry: EventTypeRegistry) -> Any {
        if let json = try? registry.jsonPayload(of: event), let value = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) {
            return value
        }
        if !event.payload.isEmpty, let value = try? JSONSerialization.jsonObject(with: Data(event.payload), options: [.fragmentsAllowed]) {
            return value
        }
        return ["base64": Data(event.payload).base64EncodedString()]
    }

    static func encode(_ event: RecordedEvent, registry: EventTypeRegistry) -> String {
        var metadata: [String: Any] = ["properties": event.metadata.properties]
        if let c = event.metadata.correlationID { metadata["correlationId"] = c.uuidString.lowercased() }
        if let c = event.metadata.causationID { metadata["causationId"] = c.uuidString.lowercased() }
        if let a = event.metadata.actor { metadata["actor"] = a }
        let object: [String: Any] = [
            "position": event.position,
            "stream": event.stream.value,
            "version": event.streamVersion,
            "eventId": event.id.uuidString.lowercased(),
            "type": event.type,
            "schemaVersion": Int(event.schemaVersion),
            "recordedAt": event.recordedAt.iso8601,
            "data": data(of: event, registry: registry),
            "metadata": metadata,
            "hash": event.hash.hex,
            "payload": Data(event.payload).base64EncodedString(),
        ]
        let bytes = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A parsed line: the event to append, where it stood and its hash.
    struct Parsed {
        var position: UInt64
        var stream: StreamName
        var version: UInt64
        var event: EventData
        var recordedAt: Timestamp
        var hash: String
    }

    /// Parses a line written by ``encode(_:registry:)``.
    static func decode(_ line: Substring, number: Int) throws -> Parsed {
        func bad(_ why: String) -> CLIError { CLIError("line \(number): \(why)") }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { throw bad("not a JSON object") }
        guard let position = (object["position"] as? NSNumber)?.uint64Value, position > 0 else { throw bad("no position") }
        guard let streamName = object["stream"] as? String, let stream = try? StreamName(streamName) else { throw bad("no valid stream") }
        guard let version = (object["version"] as? NSNumber)?.uint64Value, version > 0 else { throw bad("no version") }
        guard let idText = object["eventId"] as? String, let id = UUID(uuidString: idText) else { throw bad("no event id") }
        guard let type = object["type"] as? String else { throw bad("no type") }
        let schema = (object["schemaVersion"] as? NSNumber)?.uint16Value ?? 1
        guard let recordedText = object["recordedAt"] as? String, let recordedAt = Timestamp(iso8601: recordedText) else { throw bad("no recordedAt") }
        guard let hash = object["hash"] as? String, AuditHash(hex: hash) != nil else { throw bad("no hash") }
        let payload: [UInt8]
        if let b64 = object["payload"] as? String {
            guard let d = Data(base64Encoded: b64) else { throw bad("payload is not base64") }
            payload = Array(d)
        } else if let data = object["data"], let d = try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .fragmentsAllowed]) {
            payload = Array(d)
        } else {
            payload = []
        }
        var metadata = EventMetadata(recordedAt: recordedAt)
        if let m = object["metadata"] as? [String: Any] {
            metadata.actor = m["actor"] as? String
            metadata.correlationID = (m["correlationId"] as? String).flatMap(UUID.init(uuidString:))
            metadata.causationID = (m["causationId"] as? String).flatMap(UUID.init(uuidString:))
            metadata.properties = (m["properties"] as? [String: String]) ?? [:]
        }
        return Parsed(position: position, stream: stream, version: version,
                      event: EventData(id: id, type: type, schemaVersion: schema, payload: payload, metadata: metadata),
                      recordedAt: recordedAt, hash: hash)
    }
}
