import CaseLedger

/// Folds enforcement events into the ``PenaltyRegister``.
public struct PenaltyRegisterProjection: Projection {
    public static let name = "penalty-register"
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["enforcement"]) }
    public func initialState() -> PenaltyRegister { PenaltyRegister() }

    public func apply(_ envelope: EventEnvelope, to r: inout PenaltyRegister) throws {
        switch envelope.event {
        case let e as EnforcementCaseOpened:
            r.opened += 1
            r.cases[e.caseID] = PenaltyRegister.Case(department: e.department, enterpriseID: e.enterpriseID)
        case is EconomicImpactAssessed: r.impactAssessments += 1
        case is CombinedInspectionHeld: r.combinedInspections += 1
        case let e as PenaltyDecided:
            guard var c = r.cases[e.caseID] else { break }
            c.list = e.list
            c.fine = e.fine
            r.cases[e.caseID] = c
            r.decisions += 1
            r.finesTotal += e.fine
            r.byList[e.list, default: 0] += 1
            r.byDepartment[c.department, default: [:]][e.list, default: 0] += 1
            r.byEnterprise[c.enterpriseID, default: [:]][e.list, default: 0] += 1
        case let e as DocumentsDelivered:
            guard !e.decisionDocument.isEmpty, !e.creditRepairNotice.isEmpty, !e.complianceAdviceLetter.isEmpty else { break }
            r.cases[e.caseID]?.delivered = true
            r.deliveredTogether += 1
        case let e as DecisionPublicized:
            guard let c = r.cases[e.caseID], let list = c.list else { break }
            r.cases[e.caseID]?.publicized = true
            r.publicity.append(PenaltyRegister.Publicity(caseID: e.caseID, enterpriseID: c.enterpriseID, list: list, publicityID: e.publicityID))
        case let e as CreditRepairApplied:
            r.creditRepairsApplied += 1
            r.cases[e.caseID]?.creditRepair = .applied
        case let e as CreditRepaired:
            r.creditRepairsDone += 1
            r.cases[e.caseID]?.creditRepair = .repaired
        default: break
        }
    }
}
