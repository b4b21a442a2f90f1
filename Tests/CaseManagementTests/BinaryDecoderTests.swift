import CaseLedger
import CaseManagement
import CaseWorkload
import Testing

@Suite("Hand-written binary decoders")
struct BinaryDecoderTests {
    /// Every event of a generated year decodes through the hand-written
    /// decoder and re-encodes through Codable to the very bytes stored.
    @Test("each event of a year decodes without Codable to the value Codable encoded")
    func sameBytes() async throws {
        let store = InMemoryEventStore()
        try await CityWorkload(WorkloadConfiguration(scale: 0.02, seed: 3)).generate(into: store)
        let registry = CaseEvents.registry()
        var seen = Set<String>()
        for try await page in store.allEvents(pageSize: 5_000) {
            for record in page {
                let event = try registry.decode(record)
                #expect(try BinaryCodec().encode(event) == record.payload, "\(record.type) at \(record.position)")
                seen.insert(record.type)
            }
        }
        // The types the workload never writes, checked one by one.
        let others: [any DomainEvent] = [
            RiskPointWaived(checkupID: "k", pointID: "p", reason: "accepted"),
            RatingSubmitted(ratingID: "r", unitID: "u", officerID: nil, isLeader: false, score: 3, clueTicketID: "t"),
            TicketFiled(ticketID: "", channel: .mediationRoom, category: .landDispute, filerID: "f", summary: "说事室", level: .city, centerID: "c", isClue: true),
        ]
        for event in others {
            let bytes = try BinaryCodec().encode(event)
            let back = try registry.decode(type: type(of: event).eventType, schemaVersion: 1, payload: bytes)
            #expect(try BinaryCodec().encode(back) == bytes)
            seen.insert(type(of: event).eventType)
        }
        #expect(seen.count == CaseEvents.all.count, "every event type was checked: missing \(Set(CaseEvents.all.map { $0.eventType }).subtracting(seen))")
        // Malformed bytes are errors, never values.
        let filed = try BinaryCodec().encode(TicketFiled(ticketID: "t", channel: .oneStopDesk, category: .hardship, filerID: "f", summary: "s", level: .town, centerID: "c", isClue: false))
        #expect(throws: CodecError.self) { try BinaryCodec().decode(TicketFiled.self, from: Array(filed.dropLast())) }
        #expect(throws: CodecError.self) { try BinaryCodec().decode(TicketFiled.self, from: filed + [0]) }
        var badEnum = filed
        badEnum[3] = UInt8(ascii: "X")
        #expect(throws: CodecError.self) { try BinaryCodec().decode(TicketFiled.self, from: badEnum) }
    }
}
