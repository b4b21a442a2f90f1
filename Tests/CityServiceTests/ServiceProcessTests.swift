import CaseLedger
import CaseLedgerLMDB
import CaseLedgerPostgres
import CaseManagement
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The `CityService` executable as `make serve` runs it.
@Suite("City service: the executable")
struct ServiceProcessTests {
    static var executable: URL {
        for dir in [Bundle.main.executableURL?.deletingLastPathComponent(), URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()].compactMap({ $0 }) {
            let url = dir.appendingPathComponent("CityService")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: ".build/debug/CityService")
    }

    /// A running `CityService` and what it printed so far.
    final class Running: Sendable {
        let process: Process
        let output = Locked("")

        init(_ arguments: [String]) throws {
            process = Process()
            process.executableURL = ServiceProcessTests.executable
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let reader = pipe.fileHandleForReading
            let output = self.output
            Thread {
                while true {
                    let data = reader.availableData
                    if data.isEmpty { break }
                    output.withLock { $0 += String(decoding: data, as: UTF8.self) }
                }
            }.start()
        }

        /// Waits (polling, at most 120 s) until the output holds `text`.
        func waitFor(_ text: String) async throws -> String {
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                let seen = output.withLock { $0 }
                if seen.contains(text) { return seen }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            return output.withLock { $0 }
        }

        /// Waits (polling) for the process to end.
        func exitStatus() async throws -> Int32 {
            while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            return process.terminationStatus
        }
    }

    @Test("started on a fresh LMDB store (seeded), it serves the API and the dashboard; SIGTERM stops it with exit 0 and every folded event saved")
    func sigterm() async throws {
        let folder = NSTemporaryDirectory() + "city-service-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.serveAndStop(store: folder)
        let store = try LMDBEventStore(path: folder, access: .readOnly)
        try await Self.expectSavedAtHead(store)
        await store.close()
    }

    @Test("with --store postgres://…, the same service runs on PostgreSQL and stops as cleanly")
    func postgres() async throws {
        guard let server = ProcessInfo.processInfo.environment["CASELEDGER_POSTGRES_URL"], !server.isEmpty else {
            Issue.record("CASELEDGER_POSTGRES_URL is not set: run the tests with `make test`, which starts a PostgreSQL server")
            return
        }
        let url = server + "?schema=city_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await Self.serveAndStop(store: url)
        let store = try await PostgresEventStore.connect(try PostgresStoreConfiguration(url: url))
        try await Self.expectSavedAtHead(store)
        await store.close()
    }

    /// Every city read model saved at the head, and the log verifies.
    static func expectSavedAtHead(_ store: some ReadModelStore) async throws {
        let head = try await store.headPosition()
        #expect(head > 1_000, "the seeded year and the rating")
        for projection in CityProjections.all {
            #expect(try await store.loadProjection(slot: type(of: projection).name)?.checkpoint == head, "\(type(of: projection).name) saved at the head \(head)")
        }
        #expect(try await LogVerifier(store: store).verify().isValid)
    }

    /// Starts the executable on `store` (seeded), calls it, stops it with SIGTERM.
    static func serveAndStop(store location: String) async throws {
        let running = try Running(["--store", location, "--port", "0", "--seed", "0.003"])
        let started = try await running.waitFor("listening on http://127.0.0.1:")
        let port = try #require(started.components(separatedBy: "listening on http://127.0.0.1:").last?.prefix { $0.isNumber }).description
        let portNumber = try #require(Int(port), "\(started)")

        try await TestClient.withClient(host: "127.0.0.1", port: portNumber) { client in
            let page = try await client.get("/")
            #expect(page.status == .ok && page.body.map { String(buffer: $0) }?.contains("CaseLedger") == true, "the dashboard at /")
            let rating = try await client.post("/api/ratings", headers: [.authorization: "Bearer citizen-token", .contentType: "application/json"],
                                               body: ByteBuffer(string: #"{"ratingID": "r-process", "unitID": "unit-001", "score": 5}"#))
            #expect(rating.status == .created, "\(rating.body.map { String(buffer: $0) } ?? "")")
            let report = try await client.get("/api/report", headers: [.authorization: "Bearer auditor-token"])
            #expect(report.status == .ok)
        }

        kill(running.process.processIdentifier, SIGTERM)
        #expect(try await running.exitStatus() == 0, "\(running.output.withLock { $0 })")
        let said = running.output.withLock { $0 }
        #expect(said.contains("CityService stopped; read models saved at"), "\(said)")
    }
}
