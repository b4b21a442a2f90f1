import Foundation
import Testing

@Suite("The examples run")
struct ExampleTests {
    static func run(_ name: String) async throws -> (Int32, String) {
        let r = try await CLI.run([], executable: CLI.executable.deletingLastPathComponent().appendingPathComponent(name))
        return (r.status, r.out + r.err)
    }

    @Test("each example exits 0 and shows what it is for", arguments: [
        ("QuickStart", "refused as expected"),
        ("TicketDesk", "clue loops closed by return rating: 1"),
        ("CheckupClinic", "2 rectified, 1 report"),
        ("PenaltyRegister", "missing: credit-repair notice"),
        ("AuditReplay", "verify names position"),
    ])
    func example(name: String, expected: String) async throws {
        let (status, output) = try await Self.run(name)
        #expect(status == 0, "\(name): \(output)")
        #expect(output.contains(expected), "\(name): \(output)")
    }

    @Test("make demo's command: a small year, rebuilt, reported and verified")
    func demo() async throws {
        let store = CLI.temporary("demo")
        defer { CLI.remove(store) }
        let r = try await CLI.run(["demo", "--scale", "0.01", "--store", store])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("The store is at \(store)"))
        // The closing commands run as printed.
        let tried = r.out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("/") && $0.contains(" report ") }
        let report = try #require(tried.first)
        let shell = try await CLI.shell(report + " --json")
        #expect(shell.status == 0 && CLI.json(shell.out)?["position"] != nil, "\(report): \(shell.err)")
        #expect(r.out.contains("CITY DASHBOARD"))
        #expect(r.out.contains("signed checkpoint verified"))
    }
}
