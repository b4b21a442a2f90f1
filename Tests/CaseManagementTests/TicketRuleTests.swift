import CaseLedger
import CaseManagement
import Testing

/// Every ticket rule has a typed error and a test.
@Suite("Ticket rules")
struct TicketRuleTests {
    let deadline = Timestamp(microsecondsSince1970: 1_000)

    func fold(_ t: Ticket, _ events: [any DomainEvent]) throws -> Ticket {
        var t = t
        for e in events { try t.apply(e) }
        return t
    }

    func filed(clue: Bool = false, level: Level = .village) throws -> Ticket {
        try fold(Ticket(), Ticket().file("t1", channel: clue ? .evaluationApp : .orderPlatform, category: .wageDispute, filerID: "c1",
                                         summary: "unpaid", level: level, centerID: "center-1", isClue: clue))
    }

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

    @Test("the seven steps in order, and a high wage-dispute risk is flagged early")
    func closedLoop() throws {
        var t = try filed()
        #expect(t.step == .filed)
        let assessed = try t.assess(risk: .high)
        #expect((assessed[0] as? TicketAssessed)?.earlyWarning == true)
        t = try fold(t, assessed)
        t = try fold(t, t.assign(to: "center-town-001", isCenter: true, level: .town, deadline: deadline))
        t = try fold(t, t.take(officerID: "officer-1"))
        t = try fold(t, t.handle(.mediated, note: "talked"))
        t = try fold(t, t.remind(note: "hurry"))
        t = try fold(t, t.escalate(to: .county, assigneeID: "center-county-01", isCenter: true, reason: .overdue, deadline: deadline))
        t = try fold(t, t.conclude(.mediated))
        #expect(t.step == .concluded)
        #expect(t.level == .county)
        t = try fold(t, t.evaluate(rating: 5))
        #expect(t.step == .closed)
        #expect(t.rating == 5)
    }

    @Test("no step out of order")
    func outOfOrder() throws {
        let t = try filed()
        expectRule(.stepOutOfOrder) { try t.conclude(.resolved) }               // no conclusion before assignment
        expectRule(.stepOutOfOrder) { try t.take(officerID: "o") }
        expectRule(.stepOutOfOrder) { try t.assign(to: "u", isCenter: false, level: .town, deadline: deadline) }
        expectRule(.stepOutOfOrder) { try t.evaluate(rating: 4) }                // no evaluation of an open ticket
        expectRule(.unknownCase) { try Ticket().assess(risk: .low) }
        expectRule(.alreadyExists) { try t.file("t1", channel: .oneStopDesk, category: .hardship, filerID: "c", summary: "", level: .town, centerID: "c") }
        let assessed = try fold(t, t.assess(risk: .low))
        expectRule(.stepOutOfOrder) { try assessed.assess(risk: .low) }
    }

    @Test("no double conclusion; ratings 1 to 5; escalation only goes up")
    func conclusionAndRatings() throws {
        var t = try filed(level: .town)
        t = try fold(t, t.assess(risk: .low))
        expectRule(.escalationNotUpward) { try t.assign(to: "v", isCenter: true, level: .village, deadline: deadline) }
        t = try fold(t, t.assign(to: "c", isCenter: true, level: .town, deadline: deadline))
        expectRule(.escalationNotUpward) { try t.escalate(to: .town, assigneeID: "x", isCenter: true, reason: .complexity, deadline: deadline) }
        expectRule(.escalationNotUpward) { try t.escalate(to: .group, assigneeID: "x", isCenter: true, reason: .complexity, deadline: deadline) }
        t = try fold(t, t.conclude(.resolved))
        expectRule(.alreadyConcluded) { try t.conclude(.resolved) }
        expectRule(.invalidRating) { try t.evaluate(rating: 0) }
        expectRule(.invalidRating) { try t.evaluate(rating: 6) }
        expectRule(.invalidInput) { try t.evaluate(rating: 4, reopen: true) }
        let rated = try fold(t, t.evaluate(rating: 4))
        expectRule(.alreadyDone) { try rated.evaluate(rating: 3) }
    }

    @Test("a bad rating reopens the ticket, which is concluded again")
    func reopen() throws {
        var t = try filed()
        t = try fold(t, t.assess(risk: .low))
        t = try fold(t, t.assign(to: "c", isCenter: true, level: .village, deadline: deadline))
        t = try fold(t, t.conclude(.resolved))
        let events = try t.evaluate(rating: 1, reopen: true)
        #expect(events.count == 2)
        t = try fold(t, events)
        #expect(t.step == .handling)
        #expect(t.reopenCount == 1)
        t = try fold(t, t.conclude(.resolved))
        #expect(t.step == .concluded)
    }

    @Test("the clue sub-loop: first check, review, return rating; no return rating before the review")
    func clueLoop() throws {
        var t = try filed(clue: true)
        t = try fold(t, t.assess(risk: .medium))
        t = try fold(t, t.assign(to: "unit-001", isCenter: false, level: .county, deadline: deadline))
        expectRule(.stepOutOfOrder) { try t.review(reviewerID: "r", upheld: true) }
        expectRule(.stepOutOfOrder) { try t.conclude(.resolved) }
        expectRule(.stepOutOfOrder) { try t.evaluate(rating: 3) }       // no return rating before the superior's review
        t = try fold(t, t.firstCheck(departmentID: "unit-001", finding: "confirmed"))
        expectRule(.alreadyDone) { try t.firstCheck(departmentID: "unit-001", finding: "again") }
        expectRule(.stepOutOfOrder) { try t.conclude(.resolved) }
        t = try fold(t, t.review(reviewerID: "unit-002", upheld: true))
        expectRule(.stepOutOfOrder) { try t.lapseReturnRating() }
        t = try fold(t, t.conclude(.resolved))
        let lapsed = try fold(t, t.lapseReturnRating())
        #expect(lapsed.step == .closed)
        t = try fold(t, t.evaluate(rating: 4))
        #expect(t.step == .closed)
        let plain = try filed()
        expectRule(.wrongKindOfTicket) { try plain.lapseReturnRating() }
        expectRule(.wrongKindOfTicket) {
            try Ticket().file("x", channel: .oneStopDesk, category: .hardship, filerID: "c", summary: "", level: .town, centerID: "c", isClue: true)
        }
    }

    @Test("a rating with a clue opens a clue ticket; ratings are 1 to 5")
    func ratings() throws {
        let parts = try Rating.submit(ratingID: "r1", unitID: "unit-001", officerID: "officer-1", isLeader: true, score: 2,
                                      clue: ("t9", .hardship, "c1", "help", "center-1", .county))
        #expect(parts.map(\.stream) == ["evaluation-unit-001", "ticket-t9"])
        #expect((parts[1].event as? TicketFiled)?.isClue == true)
        #expect(throws: DomainRuleError.self) { try Rating.submit(ratingID: "r2", unitID: "u", officerID: nil, isLeader: false, score: 6) }
        #expect(throws: DomainRuleError.self) { try Rating.submit(ratingID: "r3", unitID: "u", officerID: nil, isLeader: true, score: 3) }
    }
}
