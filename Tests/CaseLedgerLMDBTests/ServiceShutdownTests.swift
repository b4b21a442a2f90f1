import CaseLedger
import CaseLedgerLMDB
import CaseLedgerTestKit
import Foundation
import Testing

@Suite("A service group stops cleanly on SIGTERM", .serialized)
struct ServiceShutdownTests {
    /// A process runs the store, a projection engine that saves only at
    /// shutdown, and a writer, in one service group. SIGTERM in the middle
    /// of its appends: it exits 0, every acknowledged batch is in the log,
    /// and the saved checkpoint is the head, with the state a rebuild gives.
    @Test("SIGTERM while appending: exit 0, nothing acknowledged lost, checkpoint saved at the head")
    func sigterm() async throws {
        let path = temporaryDirectory("service")
        let process = Process()
        process.executableURL = StressHelper.executable
        process.arguments = ["serve", path]
        let out = Pipe()
        process.standardOutput = out
        let lines = Locked("")
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            lines.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        /// The last complete `appended N` line (only the tail of the output is read).
        func lastAcknowledged() -> UInt64 {
            lines.withLock { text in
                guard let end = text.lastIndex(of: "\n"),
                      let start = text[..<end].range(of: "appended ", options: .backwards)?.upperBound,
                      let lineEnd = text[start...].firstIndex(of: "\n") else { return 0 }
                return UInt64(text[start..<lineEnd]) ?? 0
            }
        }
        // Let it append a few thousand events (however slow the machine).
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while lastAcknowledged() < 3_000 && process.isRunning && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(process.isRunning, "the service ended on its own: \(lines.withLock { $0 })")
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning && clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try #require(!process.isRunning, "the service did not stop within the deadline")
        out.fileHandleForReading.readabilityHandler = nil
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        lines.withLock { $0 += String(decoding: rest, as: UTF8.self) }

        #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                "ended with \(process.terminationReason == .exit ? "status" : "signal") \(process.terminationStatus)")
        #expect(lines.withLock { $0.hasSuffix("stopped\n") })
        let acknowledged = lastAcknowledged()

        let store = try LMDBEventStore(path: path)
        let head = try await store.headPosition()
        #expect(head >= acknowledged && acknowledged >= 3_000, "head \(head), acknowledged \(acknowledged)")
        let saved = try await store.loadProjection(slot: TestDomain.Totals.name)
        #expect(saved?.checkpoint == head, "saved at \(saved?.checkpoint ?? 0), head \(head)")

        let engine = ProjectionEngine(store: store, registry: TestDomain.registry)
        try await engine.register(TestDomain.Totals())
        let fromSave = try await engine.digest(of: TestDomain.Totals.name)
        let rebuilt = try await engine.rebuild()[TestDomain.Totals.name]
        #expect(fromSave == rebuilt)
        await store.close()
    }
}
