import CaseLedger
import CaseManagement
import CaseWorkload
import Foundation
import Testing

@Suite("Case events generated from their schemas")
struct SchemaCodecTests {
    /// Every event of a year: the generated binary codec reads the stored
    /// bytes and writes them back exactly, as Codable does; the generated
    /// JSON says what Codable's JSON says and reads back to the same event.
    @Test("generated codecs agree with the bytes stored and with Codable, for every case event type")
    func agreement() async throws {
        let store = InMemoryEventStore()
        try await CityWorkload(WorkloadConfiguration(scale: 0.02, seed: 3)).generate(into: store)
        let registry = CaseEvents.registry()
        var events: [any SchemaEvent] = []
        for try await page in store.allEvents(pageSize: 5_000) {
            for record in page {
                let event = try #require(try registry.decode(record) as? any SchemaEvent)
                #expect(event.binary == record.payload, "\(record.type) at \(record.position)")
                events.append(event)
            }
        }
        // The types the workload never writes.
        events += [
            RiskPointWaived(checkupID: "k", pointID: "p", reason: "accepted"),
            PersonalDataErased(subject: "citizen-9", reason: "asked to be forgotten"),
            RatingSubmitted(ratingID: "r", unitID: "u", officerID: nil, isLeader: false, score: 3, clueTicketID: "t", raterID: "citizen-9"),
            TicketFiled(ticketID: "", channel: .mediationRoom, category: .landDispute, filerID: "f", summary: "说事室 \"quoted\"\n", level: .city, centerID: "c", isClue: true),
        ]
        var seen = Set<String>()
        for event in events {
            try Self.check(event)
            seen.insert(type(of: event).eventType)
        }
        #expect(seen == Set(CaseEvents.all.map { $0.eventType }), "every event type was checked")
    }

    static func check<E: SchemaEvent>(_ event: E) throws {
        let back = try BinaryCodec().decode(E.self, from: event.binary)
        #expect(back.binary == event.binary)
        // A personal field's stored form is its generated codec's (Codable
        // cannot seal), so only events without one compare with Codable.
        if E.fields.allSatisfy({ $0.personalSubject == nil }) {
            #expect(try BinaryCodec().encode(event) == event.binary, "\(E.self): generated binary differs from Codable's")
            let codable = try JSONValue.parse(try JSONCodec().encode(event))
            #expect(try JSONValue.parse(event.json) == codable, "\(E.self): generated JSON differs from Codable's")
        }
        let fromJSON = try E(json: try JSONValue.parse(event.json))
        #expect(fromJSON.binary == event.binary, "\(E.self): JSON does not read back")
    }

    @Test("malformed bytes and JSON are errors, never values")
    func malformed() throws {
        let registry = CaseEvents.registry()
        let filed = TicketFiled(ticketID: "t", channel: .oneStopDesk, category: .hardship, filerID: "f", summary: "s", level: .town, centerID: "c", isClue: false).binary
        for bad in [Array(filed.dropLast()), filed + [0], { var b = filed; b[3] = UInt8(ascii: "X"); return b }()] {
            #expect(throws: CodecError.self) { _ = try registry.decode(type: "TicketFiled", schemaVersion: TicketFiled.schemaVersion, payload: bad) }
        }
        for json in [#"{"ticketID":"t"}"#, #"{"ticketID":1}"#, #"[1]"#, #"{"ticketID":"t","extra":1}"#, "{", #"{"a":1,"a":2}"#, "\"\\ud800\""] {
            #expect(throws: CodecError.self, "\(json)") { _ = try registry.eventData(type: "TicketAssessed", json: Array(json.utf8)) }
        }
    }

    /// The checked-in list of every stored event form.
    static let fingerprintList = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("EventFingerprints.txt")

    @Test("every event's fields and schema version match the checked-in fingerprints")
    func fingerprints() throws {
        let recorded = try String(contentsOf: Self.fingerprintList, encoding: .utf8).split(separator: "\n").map(String.init)
        let problems = SchemaHistory.problems(current: CaseEvents.fingerprints, recorded: recorded,
                                              registry: CaseEvents.registry(), listName: "Tests/CaseManagementTests/EventFingerprints.txt")
        #expect(problems.isEmpty, Comment(rawValue: problems.joined(separator: "\n\n")))
    }

    @Test("the checker catches a field added without a new schema version, and says what to do")
    func checker() throws {
        let recorded = CaseEvents.fingerprints
        let registry = CaseEvents.registry()
        // A scratch change: TicketAssessed gains a field, its version unchanged.
        var fields = TicketAssessed.fields
        fields.append(SchemaFieldDescription("priority", .int))
        let changed = "TicketAssessed v1 {\(fields.map(\.fingerprint).joined(separator: ", "))}"
        let current = recorded.map { $0.hasPrefix("TicketAssessed v1 ") ? changed : $0 }
        let problems = SchemaHistory.problems(current: current, recorded: recorded, registry: registry, listName: "EventFingerprints.txt")
        #expect(problems.count == 1)
        let message = try #require(problems.first)
        #expect(message.contains("TicketAssessed v1 changed without a new schema version"))
        #expect(message.contains("priority: Int"))
        #expect(message.contains("Raise TicketAssessed's version to 2") && message.contains("upcaster"))
        // Raising the version without recording it, or without an upcaster from the old form.
        let raised = changed.replacingOccurrences(of: "TicketAssessed v1 ", with: "TicketAssessed v2 ")
        let next = SchemaHistory.problems(current: recorded.filter { !$0.hasPrefix("TicketAssessed v1 ") } + [raised],
                                          recorded: recorded, registry: registry, listName: "EventFingerprints.txt")
        #expect(next.contains { $0.contains("TicketAssessed v2 is not recorded") })
        #expect(next.contains { $0.contains("TicketAssessed v1 is recorded") && $0.contains("no upcaster") })
        // An unchanged list is clean.
        #expect(SchemaHistory.problems(current: recorded, recorded: recorded, registry: registry, listName: "x").isEmpty)
    }

    @Test("the payload layouts in docs/EVENT-LAYOUTS.md are the ones the schemas generate")
    func layoutsDocumented() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/EVENT-LAYOUTS.md")
        let written = (try? String(contentsOf: doc, encoding: .utf8)) ?? ""
        #expect(written == EventLayouts.markdown, "docs/EVENT-LAYOUTS.md is out of date: run `caseledger types --markdown > docs/EVENT-LAYOUTS.md`")
    }
}
