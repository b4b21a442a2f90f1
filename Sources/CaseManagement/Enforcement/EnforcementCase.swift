import CaseLedger
import Foundation

/// An administrative enforcement case against an enterprise and the rules of
/// its decision under the four lists (行政处罚四张清单).
///
/// Choices where the article is silent:
/// - No penalty and exemption from compulsory measures carry no fine.
/// - Mitigated: a fine above 0 and below the statutory minimum.
/// - Lighter: a fine in the lower half of the statutory range
///   (minimum ≤ fine ≤ minimum + (maximum − minimum) / 2).
/// - Ordinary: a fine within the statutory range.
/// - The economic impact assessment comes before the decision; a combined
///   inspection (at least two departments, once) comes before the decision.
/// - Publicity follows delivery; credit repair follows an application,
///   which follows publicity.
public struct EnforcementCase: AggregateRoot, Hashable {
    public var id = ""
    public var opened = false
    /// The department that enforces it.
    public var department = ""
    /// The enterprise concerned.
    public var enterpriseID = ""
    public var fineMinimum = 0
    public var fineMaximum = 0
    public var assessed = false
    public var inspected = false
    public var decision: PenaltyList?
    public var delivered = false
    public var publicized = false
    public var repairApplied = false
    public var repaired = false

    public init() {}

    /// Version 2 added the department and the enterprise: older snapshots are folded anew.
    public static var snapshotSchemaVersion: UInt16 { 2 }

    public mutating func apply(_ event: any DomainEvent) throws {
        switch event {
        case let e as EnforcementCaseOpened:
            id = e.caseID
            department = e.department
            enterpriseID = e.enterpriseID
            opened = true
            fineMinimum = e.fineMinimum
            fineMaximum = e.fineMaximum
        case is EconomicImpactAssessed: assessed = true
        case is CombinedInspectionHeld: inspected = true
        case let e as PenaltyDecided: decision = e.list
        case is DocumentsDelivered: delivered = true
        case is DecisionPublicized: publicized = true
        case is CreditRepairApplied: repairApplied = true
        case is CreditRepaired: repaired = true
        default: break
        }
    }

    func requireOpened() throws(DomainRuleError) {
        guard opened else { throw DomainRuleError(.unknownCase, "enforcement case \(id.isEmpty ? "?" : id) was not opened") }
    }

    /// Opens the case.
    public func open(_ caseID: String, department: String, enterpriseID: String, violation: String, legalBasis: String,
                     fineMinimum: Int, fineMaximum: Int) throws(DomainRuleError) -> [any DomainEvent] {
        guard !opened else { throw DomainRuleError(.alreadyExists, "enforcement case \(caseID) is already open") }
        guard !caseID.isEmpty, !enterpriseID.isEmpty, !department.isEmpty else {
            throw DomainRuleError(.invalidInput, "a case needs an id, a department and an enterprise")
        }
        guard fineMinimum >= 0, fineMaximum >= fineMinimum else {
            throw DomainRuleError(.invalidInput, "the statutory range \(fineMinimum)–\(fineMaximum) is not a range")
        }
        return [EnforcementCaseOpened(caseID: caseID, department: department, enterpriseID: enterpriseID, violation: violation,
                                      legalBasis: legalBasis, fineMinimum: fineMinimum, fineMaximum: fineMaximum)]
    }

    /// Records the economic impact assessment.
    public func assessImpact(summary: String, jobsAffected: Int) throws(DomainRuleError) -> [any DomainEvent] {
        try requireOpened()
        guard !assessed else { throw DomainRuleError(.alreadyDone, "case \(id) already has its impact assessment") }
        guard decision == nil else { throw DomainRuleError(.stepOutOfOrder, "case \(id) is already decided") }
        return [EconomicImpactAssessed(caseID: id, summary: summary, jobsAffected: max(0, jobsAffected))]
    }

    /// Several departments inspect once together.
    public func inspectTogether(departments: [String]) throws(DomainRuleError) -> [any DomainEvent] {
        try requireOpened()
        guard !inspected else { throw DomainRuleError(.alreadyDone, "case \(id) already had its combined inspection") }
        guard decision == nil else { throw DomainRuleError(.stepOutOfOrder, "case \(id) is already decided") }
        guard Set(departments).count >= 2 else { throw DomainRuleError(.invalidInput, "a combined inspection needs at least two departments") }
        return [CombinedInspectionHeld(caseID: id, departments: departments)]
    }

    /// Whether a fine agrees with a list and the statutory range.
    public func fineAgrees(_ fine: Int, with list: PenaltyList) -> Bool {
        switch list {
        case .noPenalty, .exemptFromCompulsory: return fine == 0
        case .mitigated: return fine > 0 && fine < fineMinimum
        case .lighter: return fine >= fineMinimum && fine <= fineMinimum + (fineMaximum - fineMinimum) / 2
        case .ordinary: return fine >= fineMinimum && fine <= fineMaximum
        }
    }

    /// Decides the case.
    public func decide(_ list: PenaltyList, fine: Int, reasoning: DecisionReasoning) throws(DomainRuleError) -> [any DomainEvent] {
        try requireOpened()
        guard decision == nil else { throw DomainRuleError(.alreadyDone, "case \(id) is already decided") }
        guard assessed else { throw DomainRuleError(.stepOutOfOrder, "case \(id) needs its economic impact assessment before the decision") }
        guard reasoning.isComplete else { throw DomainRuleError(.reasoningMissing, "the decision on \(id) needs facts, a legal basis and the list item matched") }
        guard fineAgrees(fine, with: list) else {
            throw DomainRuleError(.fineDisagreesWithList, "a fine of \(fine) does not agree with \(list.rawValue) (statutory range \(fineMinimum)–\(fineMaximum))")
        }
        return [PenaltyDecided(caseID: id, list: list, fine: fine, reasoning: reasoning)]
    }

    /// Delivers the three documents together; refused if any is missing.
    public func deliver(decisionDocument: String?, creditRepairNotice: String?, complianceAdviceLetter: String?) throws(DomainRuleError) -> [any DomainEvent] {
        try requireOpened()
        guard decision != nil else { throw DomainRuleError(.stepOutOfOrder, "case \(id) has no decision to deliver") }
        guard !delivered else { throw DomainRuleError(.alreadyDone, "case \(id) was already delivered") }
        var missing: [String] = []
        if (decisionDocument ?? "").isEmpty { missing.append("decision document") }
        if (creditRepairNotice ?? "").isEmpty { missing.append("credit-repair notice") }
        if (complianceAdviceLetter ?? "").isEmpty { missing.append("compliance advice letter") }
        guard missing.isEmpty, let decisionDocument, let creditRepairNotice, let complianceAdviceLetter else {
            throw DomainRuleError(.documentMissing, "the three documents go out together; missing: \(missing.joined(separator: ", "))")
        }
        return [DocumentsDelivered(caseID: id, decisionDocument: decisionDocument, creditRepairNotice: creditRepairNotice,
                                   complianceAdviceLetter: complianceAdviceLetter)]
    }

    /// Makes the decision public.
    public func publicize(publicityID: String) throws(DomainRuleError) -> [any DomainEvent] {
        try requireOpened()
        guard delivered else { throw DomainRuleError(.stepOutOfOrder, "case \(id) is published only after delivery") }
        guard !publicized else { throw DomainRuleError(.alreadyDone, "case \(id) is already public") }
        return [DecisionPublicized(caseID: id, publicityID: publicityID)]
    }

    /// The enterprise applies for credit repair.
    public func applyForCreditRepair() throws(DomainRuleError) -> [any DomainEvent] {
        try requireOpened()
        guard publicized else { throw DomainRuleError(.stepOutOfOrder, "credit repair follows publicity of case \(id)") }
        guard !repairApplied else { throw DomainRuleError(.alreadyDone, "credit repair for case \(id) was already applied for") }
        return [CreditRepairApplied(caseID: id)]
    }

    /// The enterprise's credit is repaired.
    public func repairCredit() throws(DomainRuleError) -> [any DomainEvent] {
        try requireOpened()
        guard repairApplied else { throw DomainRuleError(.stepOutOfOrder, "case \(id) has no credit-repair application") }
        guard !repaired else { throw DomainRuleError(.alreadyDone, "credit for case \(id) was already repaired") }
        return [CreditRepaired(caseID: id)]
    }
}
