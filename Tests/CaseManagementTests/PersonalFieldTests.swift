import CaseLedger
import CaseManagement
import Crypto
import Foundation
import Testing

@Suite("Personal fields of case events: opened when read, attributed without opening")
struct PersonalFieldTests {
    /// An opener that counts what it decrypts, in front of a vault.
    final class CountingOpener: PersonalOpening {
        let vault: PersonalDataVault
        // `Locked` guards the count: decoders call `open` from any thread.
        let opened = Locked(0)
        init(_ vault: PersonalDataVault) { self.vault = vault }
        func open(_ sealed: [UInt8]) -> [UInt8]? {
            opened.withLock { $0 += 1 }
            return vault.open(sealed)
        }
        func subject(of sealed: [UInt8]) -> String? { vault.subject(of: sealed) }
        var count: Int { opened.withLock { $0 } }
    }

    static func filed(_ summary: String, by filer: String) -> TicketFiled {
        TicketFiled(ticketID: "T-1", channel: .orderPlatform, category: .wageDispute, filerID: filer, summary: PersonalText(summary),
                    level: .village, centerID: "center-village-0001", isClue: false)
    }

    static func rated(by rater: String) -> RatingSubmitted {
        RatingSubmitted(ratingID: "R-1", unitID: "unit-001", officerID: nil, isLeader: false, score: 4, clueTicketID: nil, raterID: PersonalText(rater))
    }

    static func bytes(_ event: some SchemaEvent, sealer: (any PersonalSealing)?) -> [UInt8] {
        var writer = ByteWriter()
        writer.personal = sealer
        event.encode(binary: &writer)
        return writer.bytes
    }

    static func decode<E: SchemaEvent>(_ bytes: [UInt8], as: E.Type, opener: (any PersonalOpening)?) throws -> E {
        try bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            reader.personal = opener
            return try E(binary: &reader)
        }
    }

    @Test("a sealed field decodes without decrypting; its subject needs no decryption; its text is opened on each read and reads erased once the subject is forgotten, even when decoded before")
    func openedWhenRead() async throws {
        let vault = try await PersonalDataVault(storage: InMemoryKeyStorage(), masterKey: SymmetricKey(size: .bits256))
        try await vault.prepare(subjects: ["citizen-1", "citizen-2"])
        let counter = CountingOpener(vault)

        let filed = try Self.decode(Self.bytes(Self.filed("wages unpaid", by: "citizen-1"), sealer: vault), as: TicketFiled.self, opener: counter)
        let rating = try Self.decode(Self.bytes(Self.rated(by: "citizen-2"), sealer: vault), as: RatingSubmitted.self, opener: counter)
        #expect(filed.summary.sealed != nil && rating.raterID?.sealed != nil, "stored sealed")
        #expect(counter.count == 0, "decoding decrypts nothing")
        #expect(filed.summary.subject == "citizen-1" && rating.raterID?.subject == "citizen-2", "whose each value is, from its key")
        #expect(counter.count == 0, "asking whose a value is decrypts nothing")
        #expect(filed.summary.text == "wages unpaid" && rating.raterID?.text == "citizen-2")
        #expect(counter.count == 2, "reading the text opens it")
        #expect(filed.summary != Self.filed("wages unpaid", by: "citizen-1").summary, "equality compares what is stored, not what it says")
        let held: Set = [filed.summary]

        try await vault.forget(subject: "citizen-1")
        #expect(held.contains(filed.summary), "equality and hash do not change when the subject is forgotten")
        #expect(filed.summary.text == nil && filed.summary.isErased && filed.summary.subject == nil, "decoded before forgetting, read after: erased")
        #expect(filed.summary.description == "[erased]")
        #expect(rating.raterID?.text == "citizen-2", "another subject's value still opens")
    }

    @Test("JSON keeps personal fields sealed unless a reader with the vault asks to open them; once forgotten they open as erased")
    func jsonForms() async throws {
        let vault = try await PersonalDataVault(storage: InMemoryKeyStorage(), masterKey: SymmetricKey(size: .bits256))
        try await vault.prepare(subjects: ["citizen-1"])
        var registry = CaseEvents.registry()
        registry.personalData = vault
        let payload = Self.bytes(Self.filed("wages unpaid", by: "citizen-1"), sealer: vault)
        let stored = String(decoding: try #require(try registry.jsonPayload(type: TicketFiled.eventType, schemaVersion: TicketFiled.schemaVersion, payload: payload)), as: UTF8.self)
        #expect(stored.contains(#""summary":{"sealed":"#) && !stored.contains("wages unpaid"), "\(stored)")
        let decoded = try Self.decode(payload, as: TicketFiled.self, opener: vault)
        #expect(!String(decoding: decoded.json, as: UTF8.self).contains("wages unpaid"), "an event's JSON is as stored, even decoded through the vault")
        let opened = String(decoding: try #require(try registry.jsonPayload(type: TicketFiled.eventType, schemaVersion: TicketFiled.schemaVersion, payload: payload, opening: true)), as: UTF8.self)
        #expect(opened.contains(#""summary":"wages unpaid""#), "\(opened)")
        try await vault.forget(subject: "citizen-1")
        let erased = String(decoding: try #require(try registry.jsonPayload(type: TicketFiled.eventType, schemaVersion: TicketFiled.schemaVersion, payload: payload, opening: true)), as: UTF8.self)
        #expect(erased.contains(#""summary":{"erased":true}"#), "\(erased)")
    }

    @Test("decoded in clear (no vault), a personal field's subject is the one its event names: the filer for a summary, the rater for a rater")
    func attributedInClear() throws {
        let filed = try Self.decode(Self.bytes(Self.filed("a wall leans", by: "citizen-3"), sealer: nil), as: TicketFiled.self, opener: nil)
        #expect(filed.summary.sealed == nil && filed.summary.text == "a wall leans")
        #expect(filed.summary.subject == "citizen-3")
        let rating = try Self.decode(Self.bytes(Self.rated(by: "citizen-4"), sealer: nil), as: RatingSubmitted.self, opener: nil)
        #expect(rating.raterID?.subject == "citizen-4")
        let json = try RatingSubmitted(json: JSONValue.parse(Array(#"{"ratingID":"R-2","unitID":"unit-001","isLeader":false,"score":3,"raterID":"citizen-5"}"#.utf8)))
        #expect(json.raterID?.subject == "citizen-5", "the JSON form is attributed too")
        #expect(Self.rated(by: "citizen-6").raterID?.subject == "citizen-6", "an event made in code attributes its values too")
        #expect(PersonalText("made by hand").subject == nil, "a value on its own names no subject")
        #expect(PersonalText.erased.subject == nil)
    }

    /// What a projection's handlers saw of each ticket's summary.
    struct Seen: Codable, Sendable, Hashable {
        var texts: [String: String] = [:]
        var subjects: [String: String] = [:]
        var sealed = 0
    }

    struct Opening: Projection {
        static let name = "test-summaries-opened"
        var filter: EventFilter { EventFilter(categories: ["ticket"]) }
        func initialState() -> Seen { Seen() }
        func handlers() -> EventHandlers<Seen> {
            var h = EventHandlers<Seen>()
            h.on(TicketFiled.self) { e, _, seen in
                if let text = e.summary.text { seen.texts[e.ticketID] = text }
                if let subject = e.summary.subject { seen.subjects[e.ticketID] = subject }
                if e.summary.sealed != nil { seen.sealed += 1 }
            }
            return h
        }
    }

    struct NotOpening: Projection {
        static let name = "test-summaries-unopened"
        var filter: EventFilter { EventFilter(categories: ["ticket"]) }
        var opensPersonalData: Bool { false }
        func initialState() -> Seen { Seen() }
        func handlers() -> EventHandlers<Seen> { Opening().handlers() }
    }

    @Test("a projection that declares it opens no personal data gets sealed values it cannot open or attribute; one that opens gets the text")
    func opensPersonalData() async throws {
        let store = InMemoryEventStore()
        var registry = CaseEvents.registry()
        registry.personalData = try await PersonalDataVault(storage: InMemoryKeyStorage(), masterKey: SymmetricKey(size: .bits256))
        let desk = CaseDesk(store: store, registry: registry)
        for (ticket, filer) in [("T-1", "citizen-1"), ("T-2", "citizen-2")] {
            try await desk.ticket(ticket) {
                try $0.file(ticket, channel: .orderPlatform, category: .wageDispute, filerID: filer, summary: "asks about \(ticket)",
                            level: .village, centerID: "center-village-0001")
            }
        }
        let engine = ProjectionEngine(store: store, registry: registry)
        try await engine.register(Opening())
        try await engine.register(NotOpening())
        _ = try await engine.catchUp()

        let opened = try await engine.state(of: Opening.self)
        #expect(opened.texts == ["T-1": "asks about T-1", "T-2": "asks about T-2"])
        #expect(opened.subjects == ["T-1": "citizen-1", "T-2": "citizen-2"])
        let unopened = try await engine.state(of: NotOpening.self)
        #expect(unopened.sealed == 2, "the values arrive as the log holds them")
        #expect(unopened.texts.isEmpty && unopened.subjects.isEmpty, "and nothing in them can be read")
    }
}
