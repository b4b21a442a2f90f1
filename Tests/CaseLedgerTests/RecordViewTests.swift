@testable import CaseLedger
import Foundation
import Testing

/// The in-place record reader agrees with the full decoder and refuses
/// malformed bytes instead of reading past them.
@Suite struct RecordViewTests {
    static func stored(metadata: EventMetadata, payload: [UInt8]) throws -> [UInt8] {
        let event = EventData(id: UUID(), type: "TicketFiled", schemaVersion: 3, payload: payload, metadata: metadata)
        let canonical = RecordFormat.canonicalBytes(position: 42, stream: "ticket-7", streamVersion: 5, event: event,
                                                    recordedAt: Timestamp(microsecondsSince1970: 1_735_689_600_123_456))
        return RecordFormat.stored(canonical: canonical, previous: .genesis).value
    }

    @Test(arguments: [
        EventMetadata(),
        EventMetadata(correlationID: UUID(), causationID: UUID(), actor: "clerk", properties: ["z": "26", "a": "1", "m": ""]),
        EventMetadata(actor: String(repeating: "x", count: 300)),
    ])
    func agreesWithTheDecoder(_ metadata: EventMetadata) throws {
        let bytes = try Self.stored(metadata: metadata, payload: Array(0..<200))
        let decoded = try RecordFormat.decode(stored: bytes)
        try bytes.withUnsafeBytes { raw in
            let view = try RecordView(stored: raw)
            #expect(view.position == decoded.position)
            #expect(view.streamVersion == decoded.streamVersion)
            #expect(view.recordedAt == decoded.recordedAt)
            #expect(view.schemaVersion == decoded.schemaVersion)
            #expect(String(decoding: view.stream, as: UTF8.self) == decoded.stream.value)
            #expect(String(decoding: view.category, as: UTF8.self) == "ticket")
            #expect(String(decoding: view.type, as: UTF8.self) == decoded.type)
            #expect(Array(view.payload) == decoded.payload)
            #expect(try view.materialize() == decoded)
        }
    }

    @Test func refusesEveryCutAndTrailingByte() throws {
        let bytes = try Self.stored(metadata: EventMetadata(actor: "a", properties: ["k": "v"]), payload: [1, 2, 3])
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
}
