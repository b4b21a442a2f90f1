@testable import CaseLedger
import Foundation
import Testing

/// The one record parser reads what the encoder writes, and refuses
/// malformed or non-canonical bytes instead of reading past them.
@Suite struct RecordViewTests {
    static func stored(metadata: EventMetadata, payload: [UInt8]) -> [UInt8] {
        let event = EventData(id: UUID(), type: "TicketFiled", schemaVersion: 3, payload: payload, metadata: metadata)
        return RecordFormat.storedValue(position: 42, stream: "ticket-7", streamVersion: 5, event: event,
                                        recordedAt: Timestamp(microsecondsSince1970: 1_735_689_600_123_456), previous: .genesis)
    }

    @Test(arguments: [
        EventMetadata(),
        EventMetadata(correlationID: UUID(), causationID: UUID(), actor: "clerk", properties: ["z": "26", "a": "1", "m": ""]),
        EventMetadata(actor: String(repeating: "x", count: 300)),
    ])
    func readsWhatTheEncoderWrites(_ metadata: EventMetadata) throws {
        let payload = Array(UInt8(0)..<200)
        let bytes = Self.stored(metadata: metadata, payload: payload)
        try bytes.withUnsafeBytes { raw in
            let view = try RecordView(stored: raw)
            #expect(view.position == 42)
            #expect(view.streamVersion == 5)
            #expect(view.recordedAt == Timestamp(microsecondsSince1970: 1_735_689_600_123_456))
            #expect(view.schemaVersion == 3)
            #expect(view.streamName == "ticket-7")
            #expect(view.category == "ticket")
            #expect(view.typeName == "TicketFiled")
            #expect(Array(view.payload) == payload)
            var expected = metadata
            expected.recordedAt = view.recordedAt
            #expect(try view.metadata() == expected)
            #expect(view.chains(from: .genesis))
            #expect(!view.chains(from: AuditHash.chain(previous: .genesis, canonical: [1])))
            #expect(view.hash == AuditHash.chain(previous: .genesis, canonical: view.canonicalBytes))
            try view.checkCanonical()
            let record = try view.materialize()
            #expect(record.metadata == expected && record.payload == payload && record.hash == view.hash)
        }
    }

    @Test func refusesEveryCutAndTrailingByte() throws {
        let bytes = Self.stored(metadata: EventMetadata(actor: "a", properties: ["k": "v"]), payload: [1, 2, 3])
        // Canonical bytes cut anywhere (the hash kept) or padded: never a valid view.
        for cut in 0..<(bytes.count - 32) {
            var shorter = Array(bytes[..<cut])
            shorter.append(contentsOf: bytes[(bytes.count - 32)...])
            #expect(throws: RecordFormatError.self) { try shorter.withUnsafeBytes { _ = try RecordView(stored: $0) } }
        }
        var longer = Array(bytes[..<(bytes.count - 32)])
        longer.append(0)
        longer.append(contentsOf: bytes[(bytes.count - 32)...])
        #expect(throws: RecordFormatError.self) { try longer.withUnsafeBytes { _ = try RecordView(stored: $0) } }
        var badFormat = bytes
        badFormat[0] = 9
        #expect(throws: RecordFormatError.self) { try badFormat.withUnsafeBytes { _ = try RecordView(stored: $0) } }
    }

    @Test func refusesBytesThatAreNotTheCanonicalEncoding() throws {
        let bytes = Self.stored(metadata: EventMetadata(properties: ["a": "1", "b": "2"]), payload: [7])
        let flagsOffset = RecordView.Offset.names + 1 + "ticket-7".utf8.count + 1 + "TicketFiled".utf8.count
        // An unknown metadata flag.
        var flags = bytes
        flags[flagsOffset] = 8
        #expect(throws: RecordFormatError.self) { try flags.withUnsafeBytes { _ = try RecordView(stored: $0) } }
        // Property keys out of order: parses, but is not canonical.
        var swapped = bytes
        let a = flagsOffset + 3, b = flagsOffset + 7
        swapped[a] = UInt8(ascii: "b")
        swapped[b] = UInt8(ascii: "a")
        try swapped.withUnsafeBytes { raw in
            let view = try RecordView(stored: raw)
            #expect(throws: RecordFormatError.self) { try view.checkCanonical() }
        }
        // A length not in its shortest form (0x82 0x00 for 2 is 0x02).
        var long = Array(bytes[..<(flagsOffset + 1)])
        long += [0x82, 0x00]
        long += bytes[(flagsOffset + 2)...]
        #expect(throws: RecordFormatError.self) { try long.withUnsafeBytes { _ = try RecordView(stored: $0) } }
        // Invalid UTF-8 in a property value.
        var invalid = bytes
        invalid[flagsOffset + 5] = 0xFF
        try invalid.withUnsafeBytes { raw in
            let view = try RecordView(stored: raw)
            #expect(throws: RecordFormatError.self) { try view.checkCanonical() }
        }
    }
}
