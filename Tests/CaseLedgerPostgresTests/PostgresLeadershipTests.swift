import CaseLedger
import CaseLedgerPostgres
import CaseLedgerTestKit
import Foundation
import Testing

/// A helper process with its output collected as it comes.
final class LeaderHelper: Sendable {
    let process: Process
    private let output = Output()

    final class Output: Sendable {
        let text = Locked("")
    }

    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = PostgresGapTests.helper
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var lines: [String] { output.text.withLock { $0.split(separator: "\n").map(String.init) } }

    /// Waits (up to a minute, for a busy machine) until the helper has said `line`.
    func said(_ line: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline && process.isRunning {
            if lines.contains(line) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return lines.contains(line)
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

@Suite("PostgreSQL: one leader across processes", .serialized)
struct PostgresLeadershipTests {
    static func saved(_ store: PostgresEventStore) async throws -> StoredProjection? {
        try await store.loadProjection(slot: TestDomain.Totals.name)
    }

    static func waitUntilSaved(_ store: PostgresEventStore, atLeast position: UInt64) async throws -> UInt64 {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let s = try await saved(store), s.checkpoint >= position { return s.checkpoint }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await saved(store)?.checkpoint ?? 0
    }

    /// Two processes run the same projection; one leads, the other stands by.
    /// The leader is killed with SIGKILL while appends go on: the other takes
    /// over from the saved checkpoint, and the saved state equals one
    /// uninterrupted replay (no event folded twice or skipped).
    @Test("two processes, one leader; SIGKILL the leader: the other takes over, exactly once")
    func takeOver() async throws {
        let schema = "lead_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let url = try PostgresServer.schemaURL(String(schema))
        var configuration = try PostgresServer.configuration(url)
        configuration.maximumConnections = 3
        let store = try await PostgresEventStore.connect(configuration)
        let events = try TestDomain.workload(count: 3_000)
        try await TestDomain.bulkAppend(Array(events[0..<500]), to: store, batch: 50)

        let a = try LeaderHelper(["pg-lead", url])
        defer { a.kill() }
        #expect(try await a.said("live"), "the first process leads: \(a.lines)")
        let b = try LeaderHelper(["pg-lead", url])
        defer { b.kill() }
        #expect(try await b.said("standby"), "the second stands by: \(b.lines)")

        try await TestDomain.bulkAppend(Array(events[500..<1_500]), to: store, batch: 50)
        #expect(try await Self.waitUntilSaved(store, atLeast: 1_000) >= 1_000, "the leader saves")
        #expect(!b.lines.contains("live"), "only one leader at a time: \(b.lines)")

        a.kill()
        try await TestDomain.bulkAppend(Array(events[1_500..<3_000]), to: store, batch: 50)
        #expect(try await b.said("live"), "the second takes over: \(b.lines)")
        let head = try await store.headPosition()
        #expect(try await Self.waitUntilSaved(store, atLeast: head) == head, "the new leader folds to the head and saves")
        b.kill()

        let saved = try #require(try await Self.saved(store))
        let replay = try await ProjectionReplayer(store: store, registry: TestDomain.registry).replay([TestDomain.Totals()], asOf: .position(saved.checkpoint))
        #expect(replay.digests[TestDomain.Totals.name] == ProjectionDigest.of(encoded: saved.state),
                "the saved state is one uninterrupted replay's")
        await store.close()
    }
}
