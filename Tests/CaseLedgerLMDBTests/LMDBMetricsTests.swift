import CaseLedger
import CaseLedgerLMDB
import Metrics
import MetricsTestKit
import Testing

@Suite("LMDB metrics")
struct LMDBMetricsTests {
    @Test("group commits are reported: appends, events, failures, commit latency, group sizes")
    func metrics() async throws {
        let metrics = TestMetrics()
        let store = try LMDBEventStore(configuration: LMDBConfiguration(path: temporaryDirectory("metrics"), options: EventStoreOptions(metricsFactory: metrics)))
        let s = try StreamName("m-1")
        _ = try await store.append([EventData(type: "A", payload: []), EventData(type: "A", payload: [])], to: s)
        _ = try await store.append([EventData(type: "A", payload: [])], to: s, expectedVersion: .exact(2))
        _ = try? await store.append([EventData(type: "A", payload: [])], to: s, expectedVersion: .noStream)
        await store.close()
        let dims = [("backend", "lmdb")]
        #expect(try metrics.expectCounter("caseledger_appends_total", dims).totalValue == 2)
        #expect(try metrics.expectCounter("caseledger_events_appended_total", dims).totalValue == 3)
        #expect(try metrics.expectCounter("caseledger_append_failures_total", dims).totalValue == 1)
        #expect(try metrics.expectTimer("caseledger_commit_duration", dims).values.count >= 2)
        #expect(try metrics.expectRecorder("caseledger_commit_events", dims).values.reduce(0, +) == 3)
    }
}
