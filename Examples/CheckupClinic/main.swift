import CaseLedger
import CaseManagement
import Foundation

// An enterprise legal check-up (法治体检) from scheduling to the risk assessment report.
let store = InMemoryEventStore()
let desk = CaseDesk(store: store)
let id = "2025-0311"
try await desk.checkup(id) { try $0.schedule(id, enterpriseID: "enterprise-0007", centerID: "public-legal-service-xian-an", lawyer: "lawyer-021", at: .now()) }
try await desk.checkup(id) { try $0.conduct(areas: [.labourRights, .contractRisk, .compliance]) }
try await desk.checkup(id) { try $0.find(pointID: "p1", area: .labourRights, severity: .high, description: "seasonal workers without written contracts") }
try await desk.checkup(id) { try $0.find(pointID: "p2", area: .contractRisk, severity: .medium, description: "supply contracts lack a dispute clause") }
for point in ["p1", "p2"] {
    try await desk.checkup(id) { try $0.advise(pointID: point, advice: "rectify and keep the proof") }
}
try await desk.checkup(id) { try $0.rectify(pointID: "p1", verifiedBy: "lawyer-021") }
do {
    try await desk.checkup(id) { try $0.issueReport(reportID: "report-\(id)") }
} catch let error as DomainRuleError {
    print("refused: \(error)")
}
try await desk.checkup(id) { try $0.rectify(pointID: "p2", verifiedBy: "lawyer-021") }
try await desk.checkup(id) { try $0.train(topic: "labour contracts", attendees: 35) }
try await desk.checkup(id) { try $0.issueReport(reportID: "report-\(id)") }

let replay = try await ProjectionReplayer(store: store, registry: desk.registry).replay([CheckupRegisterProjection()])
let register = replay.state(of: CheckupRegisterProjection.self)!
let enterprise = register.enterprises["enterprise-0007"]!
print("enterprise-0007: \(enterprise.checkups) check-up, \(enterprise.pointsFound) risk points found, \(enterprise.pointsRectified) rectified, \(enterprise.reports) report, \(enterprise.trainings) training")
for (area, a) in register.byArea.sorted(by: { $0.key < $1.key }) {
    print("  \(area.rawValue): \(a.found) found, rectification rate \(Int(a.rectificationRate * 100))%")
}
