import CaseLedger
import CaseManagement

/// One domain command the simulation runs at a planned time.
enum SimCommand: Sendable {
    case file(channel: Channel, category: TicketCategory, filer: String, summary: String, level: Level, center: String,
              clueRating: (unit: String, officer: String?, isLeader: Bool, score: Int)?)
    case assess(RiskLevel)
    case assign(assignee: String, isCenter: Bool, level: Level, days: Int)
    case take(String)
    case handle(HandlingAction, String)
    case remind
    case escalate(level: Level, assignee: String, isCenter: Bool, reason: EscalationReason, days: Int)
    case firstCheck(String)
    case review(String, Bool)
    case conclude(Outcome)
    case evaluate(Int, reopen: Bool)
    case lapse
    case schedule(enterprise: String, center: String, lawyer: String)
    case conduct([CheckupArea])
    case find(point: String, area: CheckupArea, severity: Severity, description: String)
    case advise(String)
    case rectify(String, String)
    case report(String)
    case train(String, Int)
    case open(department: String, enterprise: String, violation: String, basis: String, min: Int, max: Int)
    case assessImpact(Int)
    case inspect([String])
    case decide(PenaltyList, Int, DecisionReasoning)
    case deliver(String)
    case publicize(String)
    case applyRepair
    case repair
}
