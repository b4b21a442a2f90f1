import Foundation
import Testing

@Suite("caseledger on a PostgreSQL store")
struct PostgresCommandTests {
    @Test("--store postgres://… appends, reads, reports statistics and verifies")
    func postgresURL() async throws {
        guard let base = ProcessInfo.processInfo.environment["CASELEDGER_POSTGRES_URL"] else {
            Issue.record("CASELEDGER_POSTGRES_URL is not set: run the tests with `make test`, which starts a PostgreSQL server")
            return
        }
        let url = base + "?schema=cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let missing = try await CLI.run(["stats", "--store", url])
        #expect(missing.status != 0 && missing.err.contains("no store"), "reading a schema never made: \(missing.err)")
        #expect(try await CLI.run(["append", "--store", url, "--stream", "ticket-1", "--type", "Noted", "--data", "{}"]).status != 0,
                "appending without --create makes no schema")
        let a = try await CLI.run(["append", "--store", url, "--create", "--stream", "ticket-1", "--type", "Noted", "--data", #"{"a":1}"#, "--expected-version", "no-stream"])
        #expect(a.status == 0, "\(a.err)")
        #expect(a.out == "1\n")
        let conflict = try await CLI.run(["append", "--store", url, "--stream", "ticket-1", "--type", "Noted", "--data", "{}", "--expected-version", "no-stream"])
        #expect(conflict.status != 0)
        let read = try await CLI.run(["read", "--store", url, "--stream", "ticket-1"])
        #expect(CLI.json(read.out.trimmingCharacters(in: .whitespacesAndNewlines))?["position"] as? Int == 1)
        // With a master key, a read opens the key store read only: a store without one reads the same.
        let master = CLI.temporary("pg-master") + ".key"
        #expect(try await CLI.run(["keys", "master", "--out", master]).status == 0)
        let opened = try await CLI.run(["read", "--store", url, "--stream", "ticket-1", "--master-key", master])
        #expect(opened.status == 0 && opened.out == read.out, "\(opened.out)\(opened.err)")
        // A sealed year on PostgreSQL: sealed as stored, in clear with the master key.
        let sealedURL = base + "?schema=cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let generated = try await CLI.run(["generate", "--store", sealedURL, "--create", "--scale", "0.01", "--seed", "4", "--master-key", master])
        #expect(generated.status == 0, "\(generated.err)")
        let asStored = try await CLI.run(["read", "--store", sealedURL, "--stream", "ticket-2025-000001"])
        #expect(asStored.status == 0 && asStored.out.contains(#""summary":{"sealed":"#), "\(asStored.out.prefix(300))\(asStored.err)")
        let inClear = try await CLI.run(["read", "--store", sealedURL, "--stream", "ticket-2025-000001", "--master-key", master])
        let summary = try #require(CLI.json(String(inClear.out.split(separator: "\n").first ?? ""))?["data"] as? [String: Any])["summary"]
        #expect(inClear.status == 0 && summary is String, "\(inClear.out.prefix(300))\(inClear.err)")
        let stats = try await CLI.run(["stats", "--store", url, "--json"])
        #expect(CLI.json(stats.out.trimmingCharacters(in: .whitespacesAndNewlines))?["events"] as? Int == 1)
        #expect(try await CLI.run(["verify", "--store", url]).status == 0)
        // An unreachable server: one line naming it, at once (no minute-long retries).
        let started = ContinuousClock.now
        let unreachable = try await CLI.run(["read", "--store", "postgres://nobody@127.0.0.1:1/x", "--stream", "t-1"])
        #expect(unreachable.status != 0)
        #expect(unreachable.err.split(separator: "\n").count == 1 && unreachable.err.contains("127.0.0.1:1"), "\(unreachable.err)")
        #expect(ContinuousClock.now - started < .seconds(30), "the connect timeout applies")
    }
}
