import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import CaseWorkload
import Foundation
import Testing

@Suite("The year of the city")
struct WorkloadTests {
    static func build(scale: Double, seed: UInt64) async throws -> (InMemoryEventStore, WorkloadSummary, CityReport) {
        let store = InMemoryEventStore()
        let summary = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: seed)).generate(into: store)
        let replay = try await ProjectionReplayer(store: store, registry: CaseEvents.registry()).replay(CityProjections.all)
        return (store, summary, try #require(CityReport(replay)))
    }

    @Test("a small year: every invariant holds, the rates hold")
    func smallYear() async throws {
        let (store, summary, report) = try await Self.build(scale: 0.05, seed: 7)
        #expect(try await store.headPosition() == summary.events)
        #expect(summary.ratings == 37_500)
        #expect(report.evaluations.ratings == 37_500)
        #expect(report.checkups.riskPointsFound == 18)
        #expect(report.checkups.riskPointsRectified == 18)
        #expect(report.enforcement.cases == 125)
        #expect(abs(report.tickets.completionRate - 0.9837) < 0.01)
        #expect(abs(report.tickets.disputeResolutionRate - 0.9675) < 0.01)
    }

    @Test("the same seed gives the same log, byte for byte; another seed another log")
    func deterministic() async throws {
        let (a, _, ra) = try await Self.build(scale: 0.02, seed: 11)
        let (b, _, rb) = try await Self.build(scale: 0.02, seed: 11)
        let (c, _, _) = try await Self.build(scale: 0.02, seed: 12)
        let head = try await a.headPosition()
        #expect(try await b.headPosition() == head)
        let lastA = try await a.readAll(from: head, limit: 1)
        let lastB = try await b.readAll(from: head, limit: 1)
        #expect(lastA.first?.hash == lastB.first?.hash, "the head hash covers every byte before it")
        #expect(ra.digests == rb.digests)
        let lastC = try await c.readAll(from: try await c.headPosition(), limit: 1)
        #expect(lastC.first?.hash != lastA.first?.hash)
    }

    @Test("scale 1.0 reproduces the article's figures")
    func articleFigures() async throws {
        let (_, summary, report) = try await Self.build(scale: 1.0, seed: 2025)
        #expect(report.evaluations.ratings == 750_000)
        #expect(report.evaluations.units == 294)
        #expect(summary.units == 294)
        #expect(summary.officers == 8_000)
        #expect(summary.centers == 1_074)
        #expect(report.checkups.checkups == 1_500)
        #expect(report.checkups.enterprises >= 100)
        #expect(report.checkups.riskPointsFound == 356)
        #expect(report.checkups.riskPointsRectified == 356)
        #expect(report.checkups.reports >= 80)
        #expect(report.checkups.trainings >= 120)
        #expect(report.enforcement.cases == 2_501)
        #expect(abs(report.tickets.completionRate - 0.9837) < 0.005)
        #expect(abs(report.tickets.disputeResolutionRate - 0.9675) < 0.005)
        #expect(report.tickets.hardshipsSolved >= 2_000)
        #expect(report.tickets.suggestionsCollected >= 2_300)
        let l = report.enforcement.byList
        #expect(l.noPenalty + l.mitigated + l.lighter + l.exemptFromCompulsory + l.ordinary == 2_501)
        #expect([l.noPenalty, l.mitigated, l.lighter, l.exemptFromCompulsory, l.ordinary].allSatisfy { $0 > 0 })
    }
}
