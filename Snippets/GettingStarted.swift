// Getting started: a store, typed events, appends with expected versions,
// reads, and a projection caught up. Compiled with the package, so it
// cannot drift from the API; `swift run GettingStarted` runs it.

// snippet.events
import CaseLedger
import CaseLedgerLMDB
import Foundation

struct TicketFiled: DomainEvent {
    static let eventType = "TicketFiled"
    var ticketID: String
    var channel: String
}

struct TicketClosed: DomainEvent {
    static let eventType = "TicketClosed"
    var ticketID: String
}
// snippet.end

// snippet.projection
struct OpenTickets: Projection {
    static let name = "open-tickets"
    var filter: EventFilter { EventFilter(categories: ["ticket"]) }
    func initialState() -> [String: String] { [:] }          // ticket id → channel
    func handlers() -> EventHandlers<[String: String]> {
        var h = EventHandlers<[String: String]>()
        h.on(TicketFiled.self) { event, _, open in open[event.ticketID] = event.channel }
        h.on(TicketClosed.self) { event, _, open in open[event.ticketID] = nil }
        return h
    }
}
// snippet.end

// snippet.hide
func gettingStarted(in directory: String) async throws {
// snippet.show
// snippet.open
let store = try LMDBEventStore(path: directory)       // created when missing; pass it in, never a global
var registry = EventTypeRegistry()
registry.register(TicketFiled.self)
registry.register(TicketClosed.self)
// snippet.end

// snippet.append
let stream = try StreamName("ticket-2025-00017")      // category "ticket"

let filed = try registry.encode(TicketFiled(ticketID: "2025-00017", channel: "hotline"))
let first = try await store.append([filed], to: stream, expectedVersion: .noStream)
print(first.positions, first.streamVersion)            // [1] 1

let closed = try registry.encode(TicketClosed(ticketID: "2025-00017"))
_ = try await store.append([closed], to: stream, expectedVersion: .exact(first.streamVersion))

// A stale expectation writes nothing and throws. (The same event again,
// same id and content, would be a no-op returning its first positions.)
let again = try registry.encode(TicketClosed(ticketID: "2025-00017"))
do {
    _ = try await store.append([again], to: stream, expectedVersion: .exact(1))
} catch {
    print(error.code == .wrongExpectedVersion, error)   // true, and what the stream is at
}
// snippet.end

// snippet.read
for recorded in try await store.readStream(stream) {
    switch try registry.decode(recorded) {
    case let filed as TicketFiled: print(recorded.streamVersion, "filed via", filed.channel)
    case let closed as TicketClosed: print(recorded.streamVersion, "closed", closed.ticketID)
    default: break
    }
}
for try await page in store.allEvents(from: 1, filter: EventFilter(categories: ["ticket"])) {
    for event in page { print(event.position, event.stream, event.type) }
}
// snippet.end

// snippet.catch-up
let engine = ProjectionEngine(store: store, registry: registry)
try await engine.register(OpenTickets())
let reached = try await engine.catchUp()                // folds to the head, saves
let open = try await engine.state(of: OpenTickets.self)
print(reached, open.count)                              // 2 0
// snippet.end
// snippet.hide
await store.close()
}

let directory = NSTemporaryDirectory() + "caseledger-getting-started-\(UUID().uuidString)"
defer { try? FileManager.default.removeItem(atPath: directory) }
try await gettingStarted(in: directory)
