import CaseLedger

/// Folds enforcement events into the ``PenaltyRegister``.
public struct PenaltyRegisterProjection: Projection {
    public static let name = "penalty-register"
    /// Reads no personal field: they stay sealed as it folds.
    public var opensPersonalData: Bool { false }
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["enforcement"]) }
    public func initialState() -> PenaltyRegister { PenaltyRegister() }

    public func handlers() -> EventHandlers<PenaltyRegister> {
        var h = EventHandlers<PenaltyRegister>()
        h.on(EnforcementCaseOpened.self) { e, _, r in
            r.opened += 1
            r.cases[e.caseID] = PenaltyRegister.Case(department: e.department, enterpriseID: e.enterpriseID)
        }
        h.on(EconomicImpactAssessed.self) { _, _, r in r.impactAssessments += 1 }
        h.on(CombinedInspectionHeld.self) { _, _, r in r.combinedInspections += 1 }
        h.on(PenaltyDecided.self) { e, _, r in
            guard var c = r.cases[e.caseID] else { return }
            c.list = e.list
            c.fine = e.fine
            r.cases[e.caseID] = c
            r.decisions += 1
            r.finesTotal += e.fine
            r.byList[e.list, default: 0] += 1
            r.byDepartment[c.department, default: [:]][e.list, default: 0] += 1
            r.byEnterprise[c.enterpriseID, default: [:]][e.list, default: 0] += 1
        }
        h.on(DocumentsDelivered.self) { e, _, r in
            guard !e.decisionDocument.isEmpty, !e.creditRepairNotice.isEmpty, !e.complianceAdviceLetter.isEmpty else { return }
            r.cases[e.caseID]?.delivered = true
            r.deliveredTogether += 1
        }
        h.on(DecisionPublicized.self) { e, _, r in
            guard let c = r.cases[e.caseID], let list = c.list else { return }
            r.cases[e.caseID]?.publicized = true
            r.publicity.append(PenaltyRegister.Publicity(caseID: e.caseID, enterpriseID: c.enterpriseID, list: list, publicityID: e.publicityID))
        }
        h.on(CreditRepairApplied.self) { e, _, r in
            r.creditRepairsApplied += 1
            r.cases[e.caseID]?.creditRepair = .applied
        }
        h.on(CreditRepaired.self) { e, _, r in
            r.creditRepairsDone += 1
            r.cases[e.caseID]?.creditRepair = .repaired
        }
        return h
    }
}
