import CaseLedger
import Crypto
import CaseManagement
import Foundation
import Testing

/// `docs/test-vectors.json`, which outside implementations check themselves
/// against, checked against the code.
@Suite("The published test vectors hold")
struct TestVectorTests {
    static func vectors() throws -> JSONMembers {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/test-vectors.json")
        guard case .object(let root) = try JSONValue.parse(Array(try Data(contentsOf: url))) else { throw CodecError("not an object") }
        return root
    }

    static func text(_ value: JSONValue?) throws -> String {
        guard case .string(let s)? = value else { throw CodecError("\(String(describing: value)) is not text") }
        return s
    }

    static func number(_ value: JSONValue?) throws -> Int64 {
        if case .integer(let n)? = value { return n }
        if case .string(let s)? = value, let n = Int64(s) { return n }
        throw CodecError("\(String(describing: value)) is not a number")
    }

    static func hex(_ value: JSONValue?) throws -> [UInt8] {
        try #require(AuditHash.bytes(hex: try text(value)))
    }

    @Test("genesis, and every record's canonical bytes and hash from its fields")
    func records() throws {
        let root = try Self.vectors()
        guard case .object(let genesis)? = root["genesis"], case .array(let records)? = root["records"] else { throw CodecError("shape") }
        #expect(AuditHash.genesis.hex == (try Self.text(genesis["hash"])))
        #expect(records.count >= 3)
        for case .object(let record) in records {
            guard case .object(let f)? = record["fields"] else { throw CodecError("no fields") }
            func uuid(_ key: String) throws -> UUID? {
                if case .null? = f[key] { return nil }
                return try #require(UUID(text: try Self.text(f[key])))
            }
            var properties: [String: String] = [:]
            if case .array(let pairs)? = f["properties"] {
                for case .array(let pair) in pairs { properties[try Self.text(pair[0])] = try Self.text(pair[1]) }
            }
            var actor: String?
            if case .string(let a)? = f["actor"] { actor = a }
            let recordedAt = Timestamp(microsecondsSince1970: try Self.number(f["recordedAtMicroseconds"]))
            let event = EventData(id: try #require(try uuid("eventId")), type: try Self.text(f["type"]),
                                  schemaVersion: UInt16(try Self.number(f["schemaVersion"])), payload: try Self.hex(f["payload"]),
                                  metadata: EventMetadata(recordedAt: recordedAt, correlationID: try uuid("correlationId"),
                                                          causationID: try uuid("causationId"), actor: actor, properties: properties))
            let previous = try #require(AuditHash(hex: try Self.text(record["previousHash"])))
            let stored = RecordFormat.storedValue(position: UInt64(try Self.number(record["position"])), stream: try Self.text(f["stream"]),
                                                  streamVersion: UInt64(try Self.number(f["streamVersion"])), event: event,
                                                  recordedAt: recordedAt, previous: previous)
            let expected = try Self.text(record["canonical"]) + Self.text(record["hash"])
            #expect(AuditHash.hexString(stored) == expected, "record \(stored.count) bytes")
            #expect(Timestamp(iso8601: try Self.text(f["recordedAt"])) == recordedAt)
        }
    }

    @Test("the checkpoint's signature verifies with its public key, and its key files read back")
    func checkpoint() throws {
        guard case .object(let c)? = try Self.vectors()["checkpoint"] else { throw CodecError("no checkpoint") }
        let checkpoint = try JSONDecoder().decode(SignedCheckpoint.self, from: Data(try Self.text(c["json"]).utf8))
        #expect(checkpoint.position == UInt64(try Self.number(c["position"])))
        #expect(checkpoint.hash == (try Self.text(c["hash"])))
        let key = try #require(AuditPublicKey(hex: try Self.text(c["publicKey"])))
        #expect(checkpoint.isSigned(by: key))
        var forged = checkpoint
        forged.position += 1
        #expect(!forged.isSigned(by: key))
        let signing = try #require(AuditSigningKey(hex: try Self.text(c["privateKey"])))
        #expect(signing.publicKey.hex == key.hex)
        #expect((try Self.text(c["publicKeyFile"])).contains(key.hex))
    }

    @Test("every case event payload reads as its data, and its data encodes to the payload")
    func payloads() throws {
        guard case .array(let payloads)? = try Self.vectors()["payloads"] else { throw CodecError("no payloads") }
        let registry = CaseEvents.registry()
        var types = Set<String>()
        for case .object(let p) in payloads {
            let type = try Self.text(p["type"])
            let version = UInt16(try Self.number(p["schemaVersion"]))
            let payload = try Self.hex(p["payload"])
            let data = try #require(p["data"])
            guard registry.schemaVersion(of: type) == version else {
                // An older stored form: read through an upcaster.
                #expect(registry.hasUpcaster(type: type, schemaVersion: version), "\(type) v\(version) has an upcaster")
                continue
            }
            if case .object(let personal)? = p["personal"] {
                // A sealed personal value opens with the vector's data key.
                guard case .object(let fields) = data, case .object(let sealed)? = fields["summary"] else { throw CodecError("no sealed summary") }
                let bytes = try #require(Data(base64Encoded: try Self.text(sealed["sealed"])))
                let key = SymmetricKey(data: try Self.hex(personal["dataKey"]))
                let box = try AES.GCM.SealedBox(combined: bytes.dropFirst(16))
                let plain = try AES.GCM.open(box, using: key, authenticating: bytes.prefix(16))
                #expect(String(decoding: plain, as: UTF8.self) == (try Self.text(personal["plaintext"])))
            }
            let json = try #require(try registry.jsonPayload(type: type, schemaVersion: version, payload: payload))
            #expect(try JSONValue.parse(json) == data, "\(type)")
            #expect(try registry.payload(type: type, schemaVersion: version, json: data) == payload, "\(type)")
            types.insert(type)
        }
        #expect(types == Set(CaseEvents.all.map { $0.eventType }), "one payload of every case event type")
    }
}
