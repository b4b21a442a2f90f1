import CaseLedger

/// Folds check-up events into the ``CheckupRegister``.
public struct CheckupRegisterProjection: Projection {
    public static let name = "checkup-register"
    public init() {}
    public var filter: EventFilter { EventFilter(categories: ["checkup"]) }
    public func initialState() -> CheckupRegister { CheckupRegister() }

    public func apply(_ envelope: EventEnvelope, to r: inout CheckupRegister) throws {
        func enterprise(_ checkupID: String, _ change: (inout CheckupRegister.Enterprise) -> Void) {
            guard let id = r.checkupEnterprise[checkupID] else { return }
            change(&r.enterprises[id, default: CheckupRegister.Enterprise()])
        }
        switch envelope.event {
        case let e as CheckupScheduled:
            r.checkups += 1
            r.checkupEnterprise[e.checkupID] = e.enterpriseID
            r.byCenter[e.centerID, default: 0] += 1
            enterprise(e.checkupID) { $0.checkups += 1 }
        case is CheckupConducted:
            r.conducted += 1
        case let e as RiskPointFound:
            r.pointsFound += 1
            r.byArea[e.area, default: CheckupRegister.Area()].found += 1
            r.openPoints[e.pointID] = e.area
            enterprise(e.checkupID) { $0.pointsFound += 1 }
        case let e as RiskPointRectified:
            r.pointsRectified += 1
            if let area = r.openPoints.removeValue(forKey: e.pointID) { r.byArea[area, default: CheckupRegister.Area()].rectified += 1 }
            enterprise(e.checkupID) { $0.pointsRectified += 1 }
        case let e as RiskPointWaived:
            r.pointsWaived += 1
            r.openPoints[e.pointID] = nil
            enterprise(e.checkupID) { $0.pointsWaived += 1 }
        case let e as RiskReportIssued:
            r.reports += 1
            enterprise(e.checkupID) { $0.reports += 1 }
        case let e as TrainingSessionHeld:
            r.trainings += 1
            enterprise(e.checkupID) { $0.trainings += 1 }
        default: break
        }
    }
}
