import CaseLedger

/// Folds check-up events into the ``CheckupRegister``.
public struct CheckupRegisterProjection: Projection {
    public static let name = "checkup-register"
    /// Reads no personal field: they stay sealed as it folds.
    public var opensPersonalData: Bool { false }
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["checkup"]) }
    public func initialState() -> CheckupRegister { CheckupRegister() }

    public func handlers() -> EventHandlers<CheckupRegister> {
        var h = EventHandlers<CheckupRegister>()
        h.on(CheckupScheduled.self) { e, _, r in
            r.checkups += 1
            r.checkupEnterprise[e.checkupID] = e.enterpriseID
            r.byCenter[e.centerID, default: 0] += 1
            r.enterprise(of: e.checkupID) { $0.checkups += 1 }
        }
        h.on(CheckupConducted.self) { _, _, r in
            r.conducted += 1
        }
        h.on(RiskPointFound.self) { e, _, r in
            r.pointsFound += 1
            r.byArea[e.area, default: CheckupRegister.Area()].found += 1
            r.openPoints[e.pointID] = e.area
            r.enterprise(of: e.checkupID) { $0.pointsFound += 1 }
        }
        h.on(RiskPointRectified.self) { e, _, r in
            r.pointsRectified += 1
            if let area = r.openPoints.removeValue(forKey: e.pointID) { r.byArea[area, default: CheckupRegister.Area()].rectified += 1 }
            r.enterprise(of: e.checkupID) { $0.pointsRectified += 1 }
        }
        h.on(RiskPointWaived.self) { e, _, r in
            r.pointsWaived += 1
            r.openPoints[e.pointID] = nil
            r.enterprise(of: e.checkupID) { $0.pointsWaived += 1 }
        }
        h.on(RiskReportIssued.self) { e, _, r in
            r.reports += 1
            r.enterprise(of: e.checkupID) { $0.reports += 1 }
        }
        h.on(TrainingSessionHeld.self) { e, _, r in
            r.trainings += 1
            r.enterprise(of: e.checkupID) { $0.trainings += 1 }
        }
        return h
    }
}
