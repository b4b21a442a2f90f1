import CaseLedger
import CaseManagement
import Testing

@Suite("Check-up and enforcement rules")
struct CheckupAndEnforcementRuleTests {
    func expectRule(_ rule: DomainRuleError.Rule, _ body: () throws -> [any DomainEvent]) {
        do {
            _ = try body()
            Issue.record("expected \(rule), the command succeeded")
        } catch let error as DomainRuleError {
            #expect(error.rule == rule, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    func fold<A: AggregateRoot>(_ a: A, _ events: [any DomainEvent]) throws -> A {
        var a = a
        for e in events { try a.apply(e) }
        return a
    }

    @Test("check-up: no report while a point is open unless waived; no point rectified twice")
    func checkup() throws {
        var c = Checkup()
        expectRule(.unknownCase) { try c.conduct(areas: [.labourRights]) }
        c = try fold(c, c.schedule("k1", enterpriseID: "e1", centerID: "pls-1", lawyer: "l1", at: Timestamp(microsecondsSince1970: 0)))
        expectRule(.stepOutOfOrder) { try c.find(pointID: "p1", area: .labourRights, severity: .high, description: "x") }
        expectRule(.invalidInput) { try c.conduct(areas: []) }
        c = try fold(c, c.conduct(areas: [.labourRights, .contractRisk]))
        expectRule(.alreadyDone) { try c.conduct(areas: [.compliance]) }
        expectRule(.areaNotExamined) { try c.find(pointID: "p1", area: .compliance, severity: .low, description: "x") }
        c = try fold(c, c.find(pointID: "p1", area: .labourRights, severity: .high, description: "no contracts"))
        c = try fold(c, c.find(pointID: "p2", area: .contractRisk, severity: .low, description: "vague terms"))
        expectRule(.riskPointAlreadyClosed) { try c.find(pointID: "p1", area: .labourRights, severity: .high, description: "dup") }
        expectRule(.stepOutOfOrder) { try c.rectify(pointID: "p1", verifiedBy: "l1") }   // advice first
        expectRule(.unknownRiskPoint) { try c.advise(pointID: "p9", advice: "x") }
        c = try fold(c, c.advise(pointID: "p1", advice: "sign contracts"))
        expectRule(.openRiskPoints) { try c.issueReport(reportID: "r1") }
        c = try fold(c, c.rectify(pointID: "p1", verifiedBy: "l1"))
        expectRule(.riskPointAlreadyClosed) { try c.rectify(pointID: "p1", verifiedBy: "l1") }
        expectRule(.openRiskPoints) { try c.issueReport(reportID: "r1") }
        expectRule(.invalidInput) { try c.waive(pointID: "p2", reason: "  ") }
        c = try fold(c, c.waive(pointID: "p2", reason: "accepted business risk"))
        c = try fold(c, c.issueReport(reportID: "r1"))
        expectRule(.alreadyDone) { try c.issueReport(reportID: "r2") }
        _ = try c.train(topic: "labour law", attendees: 20)
        expectRule(.invalidInput) { try c.train(topic: "x", attendees: 0) }
    }

    func opened(min: Int = 1_000, max: Int = 10_000) throws -> EnforcementCase {
        let c = try fold(EnforcementCase(), EnforcementCase().open("e1", department: "market", enterpriseID: "ent-1", violation: "v",
                                                                   legalBasis: "Art. 1", fineMinimum: min, fineMaximum: max))
        return try fold(c, c.assessImpact(summary: "small", jobsAffected: 3))
    }

    @Test("enforcement: every list's fine must agree with it; reasoning is required")
    func lists() throws {
        let reasons = DecisionReasoning(facts: "f", legalBasis: "Art. 1", listItem: "first minor")
        let c = try opened()
        expectRule(.fineDisagreesWithList) { try c.decide(.noPenalty, fine: 100, reasoning: reasons) }
        expectRule(.fineDisagreesWithList) { try c.decide(.exemptFromCompulsory, fine: 1, reasoning: reasons) }
        expectRule(.fineDisagreesWithList) { try c.decide(.mitigated, fine: 1_000, reasoning: reasons) }     // not below the minimum
        expectRule(.fineDisagreesWithList) { try c.decide(.mitigated, fine: 0, reasoning: reasons) }
        expectRule(.fineDisagreesWithList) { try c.decide(.lighter, fine: 6_000, reasoning: reasons) }       // upper half
        expectRule(.fineDisagreesWithList) { try c.decide(.lighter, fine: 999, reasoning: reasons) }
        expectRule(.fineDisagreesWithList) { try c.decide(.ordinary, fine: 10_001, reasoning: reasons) }
        expectRule(.reasoningMissing) { try c.decide(.noPenalty, fine: 0, reasoning: DecisionReasoning(facts: "", legalBasis: "x", listItem: "y")) }
        _ = try c.decide(.noPenalty, fine: 0, reasoning: reasons)
        _ = try c.decide(.exemptFromCompulsory, fine: 0, reasoning: reasons)
        _ = try c.decide(.mitigated, fine: 999, reasoning: reasons)
        _ = try c.decide(.lighter, fine: 5_500, reasoning: reasons)
        _ = try c.decide(.ordinary, fine: 10_000, reasoning: reasons)
        let unassessed = try fold(EnforcementCase(), EnforcementCase().open("e2", department: "m", enterpriseID: "x", violation: "v", legalBasis: "b", fineMinimum: 0, fineMaximum: 10))
        expectRule(.stepOutOfOrder) { try unassessed.decide(.noPenalty, fine: 0, reasoning: reasons) }
        expectRule(.invalidInput) { try EnforcementCase().open("e3", department: "m", enterpriseID: "x", violation: "v", legalBasis: "b", fineMinimum: 10, fineMaximum: 5) }
    }

    @Test("enforcement: three documents together or no delivery; then publicity and credit repair in order")
    func delivery() throws {
        var c = try opened()
        expectRule(.invalidInput) { try c.inspectTogether(departments: ["market"]) }
        c = try fold(c, c.inspectTogether(departments: ["market", "tax"]))
        expectRule(.alreadyDone) { try c.inspectTogether(departments: ["market", "tax"]) }
        expectRule(.stepOutOfOrder) { try c.deliver(decisionDocument: "d", creditRepairNotice: "n", complianceAdviceLetter: "l") }
        c = try fold(c, c.decide(.lighter, fine: 1_000, reasoning: DecisionReasoning(facts: "f", legalBasis: "b", listItem: "i")))
        expectRule(.alreadyDone) { try c.decide(.ordinary, fine: 2_000, reasoning: DecisionReasoning(facts: "f", legalBasis: "b", listItem: "i")) }
        do {
            _ = try c.deliver(decisionDocument: "d", creditRepairNotice: nil, complianceAdviceLetter: "l")
            Issue.record("a delivery without the credit-repair notice went out")
        } catch {
            #expect(error.rule == .documentMissing)
            #expect(error.message.contains("credit-repair notice"))
        }
        expectRule(.stepOutOfOrder) { try c.publicize(publicityID: "p") }
        c = try fold(c, c.deliver(decisionDocument: "d", creditRepairNotice: "n", complianceAdviceLetter: "l"))
        expectRule(.alreadyDone) { try c.deliver(decisionDocument: "d", creditRepairNotice: "n", complianceAdviceLetter: "l") }
        expectRule(.stepOutOfOrder) { try c.applyForCreditRepair() }
        c = try fold(c, c.publicize(publicityID: "p"))
        expectRule(.stepOutOfOrder) { try c.repairCredit() }
        c = try fold(c, c.applyForCreditRepair())
        c = try fold(c, c.repairCredit())
        #expect(c.repaired)
        expectRule(.alreadyDone) { try c.repairCredit() }
    }
}
