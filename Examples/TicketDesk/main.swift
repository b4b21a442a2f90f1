import CaseLedger
import CaseManagement
import Foundation

// One ticket through all seven steps (汇研交办督结评), then a problem clue
// through its sub-loop; prints each history and the ticket board.
let store = InMemoryEventStore()
let desk = CaseDesk(store: store)
let engine = ProjectionEngine(store: store, registry: desk.registry)
try await engine.register(TicketBoardProjection())
let day: Int64 = 86_400_000_000
/// The example's clock: each step a quarter of a day after the last.
final class StepClock: @unchecked Sendable {
    var now: Int64 = 1_735_689_600_000_000
}
let stepClock = StepClock()
var clock: Int64 { stepClock.now }
@MainActor func at() -> EventMetadata {
    stepClock.now += day / 4
    return EventMetadata(recordedAt: Timestamp(microsecondsSince1970: stepClock.now), actor: "ticket-desk")
}

let id = "2025-00017"
try await desk.ticket(id, metadata: at()) {
    try $0.file(id, channel: .householdWhistle, category: .wageDispute, filerID: "citizen-0981",
                summary: "a contractor owes 12 workers three months of wages", level: .group, centerID: "center-village-0042")
}
try await desk.ticket(id, metadata: at()) { try $0.assess(risk: .high) }                       // flagged early
try await desk.ticket(id, metadata: at()) {
    try $0.assign(to: "center-village-0042", isCenter: true, level: .village, deadline: Timestamp(microsecondsSince1970: clock + 10 * day))
}
try await desk.ticket(id, metadata: at()) { try $0.take(officerID: "officer-0042") }
try await desk.ticket(id, metadata: at()) { try $0.handle(.mediated, note: "met the contractor and the workers") }
try await desk.ticket(id, metadata: at()) { try $0.remind(note: "deadline in 3 days") }
try await desk.ticket(id, metadata: at()) {
    try $0.escalate(to: .town, assigneeID: "center-town-007", isCenter: true, reason: .complexity, deadline: Timestamp(microsecondsSince1970: clock + 7 * day))
}
try await desk.ticket(id, metadata: at()) { try $0.conclude(.mediated) }
do {
    try await desk.ticket(id) { try $0.conclude(.resolved) }
} catch let error as DomainRuleError {
    print("refused: \(error)")
}
try await desk.ticket(id, metadata: at()) { try $0.evaluate(rating: 5) }

// A problem clue from the evaluation app: first check, superior's review, return rating.
try await desk.rate(ratingID: "r-1", unitID: "unit-017", officerID: "officer-0601", score: 2,
                    clue: ("2025-00018", .officerConduct, "citizen-2044", "an officer was rude at the window", "center-county-02", .county),
                    metadata: at())
try await desk.ticket("2025-00018", metadata: at()) { try $0.assess(risk: .medium) }
try await desk.ticket("2025-00018", metadata: at()) {
    try $0.assign(to: "unit-017", isCenter: false, level: .county, deadline: Timestamp(microsecondsSince1970: clock + 5 * day))
}
do {
    try await desk.ticket("2025-00018") { try $0.evaluate(rating: 4) }
} catch let error as DomainRuleError {
    print("refused: \(error)")
}
try await desk.ticket("2025-00018", metadata: at()) { try $0.firstCheck(departmentID: "unit-017", finding: "confirmed by the window camera") }
try await desk.ticket("2025-00018", metadata: at()) { try $0.review(reviewerID: "unit-001", upheld: true) }
try await desk.ticket("2025-00018", metadata: at()) { try $0.conclude(.resolved) }
try await desk.ticket("2025-00018", metadata: at()) { try $0.evaluate(rating: 4) }          // the return rating

for ticket in ["2025-00017", "2025-00018"] {
    print("\nHistory of ticket-\(ticket):")
    for event in try await store.readStream(try CaseDesk.ticketStream(ticket)) {
        print("  v\(event.streamVersion) \(event.recordedAt.iso8601.prefix(16)) \(event.type)")
    }
}
try await engine.catchUp()
let board = try await engine.state(of: TicketBoardProjection.self)
print("\nBoard: accepted \(board.accepted), concluded \(board.concluded), open \(board.openCount), early warnings \(board.earlyWarnings)")
print("settled by level: \(board.settledByLevel.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))")
print("clue loops closed by return rating: \(board.clueLoopsClosedByRating)")
