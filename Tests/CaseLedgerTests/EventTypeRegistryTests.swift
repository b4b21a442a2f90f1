import CaseLedger
import Foundation
import Testing

struct TicketFiled: DomainEvent, Equatable {
    static let eventType = "TicketFiled"
    var ticketID: String
    var channel: String
    var urgent: Bool
}

struct TicketRated: DomainEvent, Equatable {
    static let eventType = "TicketRated"
    static let schemaVersion: UInt16 = 2
    var ticketID: String
    var stars: Int
}

@Suite("Typed events")
struct EventTypeRegistryTests {
    func registry(_ codec: any EventCodec = BinaryCodec()) -> EventTypeRegistry {
        var r = EventTypeRegistry(codec: codec)
        r.register(TicketFiled.self)
        r.register(TicketRated.self)
        return r
    }

    @Test("typed events go through a store and come back typed", arguments: [BinaryCodec() as any EventCodec, JSONCodec()])
    func roundTrip(codec: any EventCodec) async throws {
        let registry = registry(codec)
        let store = InMemoryEventStore()
        let stream = try StreamName("ticket-1")
        let filed = TicketFiled(ticketID: "ticket-1", channel: "evaluation-app", urgent: true)
        let rated = TicketRated(ticketID: "ticket-1", stars: 4)
        _ = try await store.append([try registry.encode(filed), try registry.encode(rated)], to: stream)
        let events = try await store.readStream(stream)
        #expect(events[1].schemaVersion == 2)
        #expect(try registry.decode(events[0], as: TicketFiled.self) == filed)
        #expect(try registry.decode(events[1]) as? TicketRated == rated)
        #expect(throws: CodecError.self) { try registry.decode(events[0], as: TicketRated.self) }
    }

    @Test("the same event encodes to the same bytes")
    func deterministic() throws {
        let id = UUID()
        let a = try registry().encode(TicketFiled(ticketID: "t", channel: "c", urgent: false), id: id)
        let b = try registry().encode(TicketFiled(ticketID: "t", channel: "c", urgent: false), id: id)
        #expect(a == b)
    }

    @Test("unknown types and unreadable schema versions are codec errors")
    func unknown() throws {
        let r = registry()
        #expect(throws: CodecError.self) { try r.decode(type: "Nope", schemaVersion: 1, payload: []) }
        let payload = try BinaryCodec().encode(TicketRated(ticketID: "t", stars: 3))
        #expect(throws: CodecError.self) { try r.decode(type: "TicketRated", schemaVersion: 1, payload: payload) }
        #expect(r.registeredTypes == ["TicketFiled", "TicketRated"])
    }

    @Test("JSON in, binary stored, JSON out")
    func json() throws {
        let r = registry()
        let data = try #require(try r.eventData(type: "TicketRated", json: Array(#"{"ticketID":"t-9","stars":5}"#.utf8)))
        #expect(data.payload == (try BinaryCodec().encode(TicketRated(ticketID: "t-9", stars: 5))))
        #expect(try r.eventData(type: "Unregistered", json: Array("{}".utf8)) == nil)
        #expect(throws: CodecError.self) { try r.eventData(type: "TicketRated", json: Array(#"{"ticketID":1}"#.utf8)) }
        let recorded = RecordedEvent(position: 1, stream: try StreamName("t-9"), streamVersion: 1, id: data.id, type: data.type,
                                     schemaVersion: data.schemaVersion, payload: data.payload, metadata: data.metadata, hash: .genesis)
        #expect(try r.jsonPayload(of: recorded).map { String(decoding: $0, as: UTF8.self) } == #"{"stars":5,"ticketID":"t-9"}"#)
    }
}
