import CaseLedger
import CaseManagement
import Foundation

// A case under each of the four lists and an ordinary penalty; a delivery
// refused for a missing document, then made with all three together.
let store = InMemoryEventStore()
let desk = CaseDesk(store: store)
let decisions: [(PenaltyList, Int, String)] = [
    (.noPenalty, 0, "first minor violation, promptly corrected (轻微免罚)"),
    (.mitigated, 1_500, "actively reduced the harm"),
    (.lighter, 6_000, "cooperated with the investigation"),
    (.exemptFromCompulsory, 0, "no risk of evidence loss"),
    (.ordinary, 30_000, "ordinary penalty"),
]
for (i, (list, fine, item)) in decisions.enumerated() {
    let id = "2025-\(i + 1)"
    try await desk.enforcement(id) {
        try $0.open(id, department: "market-regulation", enterpriseID: "enterprise-00\(i + 1)", violation: "labelling",
                    legalBasis: "Article 48", fineMinimum: 5_000, fineMaximum: 50_000)
    }
    try await desk.enforcement(id) { try $0.assessImpact(summary: "a small workshop, 12 jobs", jobsAffected: 12) }
    if i == 2 { try await desk.enforcement(id) { try $0.inspectTogether(departments: ["market-regulation", "emergency-management"]) } }
    try await desk.enforcement(id) { try $0.decide(list, fine: fine, reasoning: DecisionReasoning(facts: "labels lacked the producer's address", legalBasis: "Article 48", listItem: item)) }
    print("case \(id): \(list.rawValue), fine \(fine)")
}
do {
    try await desk.enforcement("2025-1") { try $0.decide(.mitigated, fine: 9_000, reasoning: DecisionReasoning(facts: "f", legalBasis: "b", listItem: "i")) }
} catch let error as DomainRuleError {
    print("refused: \(error)")
}
do {
    try await desk.enforcement("2025-1") { try $0.deliver(decisionDocument: "decision-1", creditRepairNotice: nil, complianceAdviceLetter: "advice-1") }
} catch let error as DomainRuleError {
    print("refused: \(error)")
}
try await desk.enforcement("2025-1") { try $0.deliver(decisionDocument: "decision-1", creditRepairNotice: "credit-1", complianceAdviceLetter: "advice-1") }
try await desk.enforcement("2025-1") { try $0.publicize(publicityID: "publicity-1") }

let replay = try await ProjectionReplayer(store: store, registry: desk.registry).replay([PenaltyRegisterProjection()])
let register = replay.state(of: PenaltyRegisterProjection.self)!
print("by list: " + PenaltyList.allCases.map { "\($0.rawValue) \(register.byList[$0] ?? 0)" }.joined(separator: ", "))
print("three documents together: \(register.deliveredTogether) of \(register.decisions) decisions")
print("publicity list: \(register.publicity.map { "\($0.caseID) (\($0.list.rawValue))" }.joined(separator: ", "))")
