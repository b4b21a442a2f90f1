import CaseLedger
import CaseLedgerPostgres
import Foundation
import Testing

@Suite("PostgreSQL: no event skipped across processes", .serialized)
struct PostgresGapTests {
    static var helper: URL {
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent(), URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()].compactMap { $0 }
        for dir in candidates {
            let url = dir.appendingPathComponent("CaseLedgerStress")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: ".build/debug/CaseLedgerStress")
    }

    /// 4 processes × 8 tasks append while a subscriber reads from position 1:
    /// its sequence must equal the final log exactly.
    @Test("4 processes with 8 tasks each; the subscriber's sequence equals the final log")
    func fourProcesses() async throws {
        let schema = "gap_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        var configuration = try PostgresServer.configuration(try PostgresServer.schemaURL(String(schema)))
        configuration.maximumConnections = 3
        let store = try await PostgresEventStore.connect(configuration)
        let perTask = 40
        let subscriber = Task { () throws -> [RecordedEvent] in
            var seen: [RecordedEvent] = []
            for try await event in store.subscribe(from: 1, pageSize: 50) {
                seen.append(event)
                if seen.count >= 4 * 8 * perTask * 2 { break }
            }
            return seen
        }
        var processes: [Process] = []
        for writer in 0..<4 {
            let p = Process()
            p.executableURL = Self.helper
            p.arguments = ["pg-append", try PostgresServer.schemaURL(String(schema)), String(writer), "8", String(perTask)]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            processes.append(p)
        }
        for p in processes {
            // Polled: a blocking wait would hold one of the threads the tests' tasks share.
            while p.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            #expect(p.terminationStatus == 0)
        }
        let seen = try await subscriber.value
        let head = try await store.headPosition()
        #expect(head == UInt64(4 * 8 * perTask * 2))
        var log: [RecordedEvent] = []
        for try await page in store.allEvents(pageSize: 500) { log += page }
        #expect(log.map(\.position) == Array(1...head), "the log has no gap")
        #expect(seen.map(\.position) == log.map(\.position), "the subscriber saw every position once, in order")
        #expect(seen.map(\.id) == log.map(\.id), "the subscriber's sequence equals the final log")
        let report = try await LogVerifier(store: store).verify()
        #expect(report.isValid, "\(String(describing: report.failure))")
        await store.close()
    }
}
