import Foundation
import CaseLedger

/// An enterprise legal check-up (法治体检) and its rules.
///
/// Choices where the article is silent: a risk point's area must be one the
/// check-up examined; a point is rectified only after rectification was
/// advised; a waived point counts as closed for the report; one report per
/// check-up; training sessions may be held at any time after scheduling.
public struct Checkup: AggregateRoot, Hashable {
    public var id = ""
    public var enterpriseID = ""
    /// The governance center that holds it.
    public var centerID = ""
    public var scheduled = false
    public var conductedAreas: [CheckupArea]?
    public var points: [String: RiskPointStatus] = [:]
    public var reportIssued = false

    public init() {}

    /// Version 2 added the center: older snapshots are folded anew.
    public static var snapshotSchemaVersion: UInt16 { 2 }

    public mutating func apply(_ event: any DomainEvent) throws {
        switch event {
        case let e as CheckupScheduled:
            id = e.checkupID
            enterpriseID = e.enterpriseID
            centerID = e.centerID
            scheduled = true
        case let e as CheckupConducted: conductedAreas = e.areas
        case let e as RiskPointFound: points[e.pointID] = .found
        case let e as RectificationAdvised: points[e.pointID] = .advised
        case let e as RiskPointRectified: points[e.pointID] = .rectified
        case let e as RiskPointWaived: points[e.pointID] = .waived
        case is RiskReportIssued: reportIssued = true
        default: break
        }
    }

    func requireScheduled() throws(DomainRuleError) {
        guard scheduled else { throw DomainRuleError(.unknownCase, "check-up \(id.isEmpty ? "?" : id) was not scheduled") }
    }

    func requireConducted() throws(DomainRuleError) -> [CheckupArea] {
        try requireScheduled()
        guard let areas = conductedAreas else { throw DomainRuleError(.stepOutOfOrder, "check-up \(id) has not been conducted") }
        return areas
    }

    /// Schedules the check-up.
    public func schedule(_ checkupID: String, enterpriseID: String, centerID: String, lawyer: String, at time: Timestamp) throws(DomainRuleError) -> [any DomainEvent] {
        guard !scheduled else { throw DomainRuleError(.alreadyExists, "check-up \(checkupID) is already scheduled") }
        guard !checkupID.isEmpty, !enterpriseID.isEmpty else { throw DomainRuleError(.invalidInput, "a check-up needs an id and an enterprise") }
        return [CheckupScheduled(checkupID: checkupID, enterpriseID: enterpriseID, centerID: centerID, lawyer: lawyer, scheduledFor: time)]
    }

    /// Conducts it over some areas.
    public func conduct(areas: [CheckupArea]) throws(DomainRuleError) -> [any DomainEvent] {
        try requireScheduled()
        guard conductedAreas == nil else { throw DomainRuleError(.alreadyDone, "check-up \(id) was already conducted") }
        guard !areas.isEmpty else { throw DomainRuleError(.invalidInput, "a check-up examines at least one area") }
        return [CheckupConducted(checkupID: id, areas: areas)]
    }

    /// Records a risk point.
    public func find(pointID: String, area: CheckupArea, severity: Severity, description: String) throws(DomainRuleError) -> [any DomainEvent] {
        let areas = try requireConducted()
        guard !reportIssued else { throw DomainRuleError(.alreadyDone, "check-up \(id) already issued its report") }
        guard areas.contains(area) else { throw DomainRuleError(.areaNotExamined, "check-up \(id) did not examine \(area.rawValue)") }
        guard points[pointID] == nil else { throw DomainRuleError(.riskPointAlreadyClosed, "risk point \(pointID) was already found") }
        return [RiskPointFound(checkupID: id, pointID: pointID, area: area, severity: severity, description: description)]
    }

    /// Advises rectification of a point.
    public func advise(pointID: String, advice: String) throws(DomainRuleError) -> [any DomainEvent] {
        _ = try requireConducted()
        guard let status = points[pointID] else { throw DomainRuleError(.unknownRiskPoint, "check-up \(id) has no risk point \(pointID)") }
        guard status == .found else { throw DomainRuleError(.alreadyDone, "risk point \(pointID) is \(status.rawValue)") }
        return [RectificationAdvised(checkupID: id, pointID: pointID, advice: advice)]
    }

    /// Records a point rectified and verified.
    public func rectify(pointID: String, verifiedBy: String) throws(DomainRuleError) -> [any DomainEvent] {
        _ = try requireConducted()
        guard let status = points[pointID] else { throw DomainRuleError(.unknownRiskPoint, "check-up \(id) has no risk point \(pointID)") }
        switch status {
        case .rectified, .waived: throw DomainRuleError(.riskPointAlreadyClosed, "risk point \(pointID) is already \(status.rawValue)")
        case .found: throw DomainRuleError(.stepOutOfOrder, "risk point \(pointID) has no rectification advice yet")
        case .advised: return [RiskPointRectified(checkupID: id, pointID: pointID, verifiedBy: verifiedBy)]
        }
    }

    /// Leaves a point open on purpose.
    public func waive(pointID: String, reason: String) throws(DomainRuleError) -> [any DomainEvent] {
        _ = try requireConducted()
        guard let status = points[pointID] else { throw DomainRuleError(.unknownRiskPoint, "check-up \(id) has no risk point \(pointID)") }
        guard status == .found || status == .advised else { throw DomainRuleError(.riskPointAlreadyClosed, "risk point \(pointID) is already \(status.rawValue)") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw DomainRuleError(.invalidInput, "a waiver needs a reason") }
        return [RiskPointWaived(checkupID: id, pointID: pointID, reason: reason)]
    }

    /// Issues the risk assessment report; refused while a point is open.
    public func issueReport(reportID: String) throws(DomainRuleError) -> [any DomainEvent] {
        _ = try requireConducted()
        guard !reportIssued else { throw DomainRuleError(.alreadyDone, "check-up \(id) already issued its report") }
        let open = points.filter { $0.value == .found || $0.value == .advised }.keys.sorted()
        guard open.isEmpty else {
            throw DomainRuleError(.openRiskPoints, "check-up \(id) has open risk points: \(open.joined(separator: ", "))")
        }
        return [RiskReportIssued(checkupID: id, reportID: reportID)]
    }

    /// Records a training session.
    public func train(topic: String, attendees: Int) throws(DomainRuleError) -> [any DomainEvent] {
        try requireScheduled()
        guard attendees > 0 else { throw DomainRuleError(.invalidInput, "a training session has attendees") }
        return [TrainingSessionHeld(checkupID: id, topic: topic, attendees: attendees)]
    }
}
