import CaseLedger
import Foundation
import Metrics
import MetricsTestKit
import Testing

@Suite("Core values")
struct CoreValueTests {
    @Test("timestamps print as ISO 8601 with microseconds and parse back")
    func timestamps() throws {
        let t = Timestamp(microsecondsSince1970: 1_735_689_600_123_456)
        #expect(t.iso8601 == "2025-01-01T00:00:00.123456Z")
        #expect(Timestamp(iso8601: "2025-01-01T00:00:00.123456Z") == t)
        #expect(Timestamp(iso8601: "2025-01-01T08:00:00+08:00") == Timestamp(microsecondsSince1970: 1_735_689_600_000_000))
        #expect(Timestamp(iso8601: "yesterday") == nil)
        #expect(Timestamp(microsecondsSince1970: -1).iso8601 == "1969-12-31T23:59:59.999999Z")
    }

    @Test("audit hashes print and parse as hex")
    func hashes() {
        #expect(AuditHash.genesis.hex.count == 64)
        #expect(AuditHash(hex: AuditHash.genesis.hex) == .genesis)
        #expect(AuditHash(hex: "zz") == nil)
        #expect(AuditHash.chain(previous: .genesis, canonical: [1, 2, 3]) != AuditHash.chain(previous: .genesis, canonical: [1, 2, 4]))
    }

    @Test("the store reports appends, failures, commit latency and batch sizes to the metrics factory it is given")
    func metrics() async throws {
        let metrics = TestMetrics()
        let store = InMemoryEventStore(options: EventStoreOptions(metricsFactory: metrics))
        let s = try StreamName("m-1")
        _ = try await store.append([EventData(type: "A", payload: []), EventData(type: "A", payload: [])], to: s)
        _ = try await store.append([EventData(type: "A", payload: [])], to: s)
        _ = try? await store.append([EventData(type: "A", payload: [])], to: s, expectedVersion: .noStream)
        let appends = try metrics.expectCounter("caseledger_appends_total", [("backend", "memory")])
        #expect(appends.totalValue == 2)
        let events = try metrics.expectCounter("caseledger_events_appended_total", [("backend", "memory")])
        #expect(events.totalValue == 3)
        let failures = try metrics.expectCounter("caseledger_append_failures_total", [("backend", "memory")])
        #expect(failures.totalValue == 1)
        let timer = try metrics.expectTimer("caseledger_commit_duration", [("backend", "memory")])
        #expect(timer.values.count == 2)
        let sizes = try metrics.expectRecorder("caseledger_commit_events", [("backend", "memory")])
        #expect(sizes.values.map { Int($0) } == [2, 1])
    }
}
