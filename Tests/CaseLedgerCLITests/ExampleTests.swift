import Foundation
import Testing

@Suite("The examples run")
struct ExampleTests {
    static func run(_ name: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = CLI.executable.deletingLastPathComponent().appendingPathComponent(name)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("each example exits 0 and shows what it is for", arguments: [
        ("QuickStart", "refused as expected"),
        ("TicketDesk", "clue loops closed by return rating: 1"),
        ("CheckupClinic", "2 rectified, 1 report"),
        ("PenaltyRegister", "missing: credit-repair notice"),
        ("AuditReplay", "verify names position"),
    ])
    func example(name: String, expected: String) throws {
        let (status, output) = try Self.run(name)
        #expect(status == 0, "\(name): \(output)")
        #expect(output.contains(expected), "\(name): \(output)")
    }

    @Test("make demo's command: a small year, rebuilt, reported and verified")
    func demo() throws {
        let store = CLI.temporary("demo")
        defer { CLI.remove(store) }
        let r = try CLI.run(["demo", "--scale", "0.01", "--store", store])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("The store is at \(store)"))
        // The closing commands run as printed.
        let tried = r.out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("/") && $0.contains(" report ") }
        let report = try #require(tried.first)
        let shell = try CLI.shell(report + " --json")
        #expect(shell.status == 0 && CLI.json(shell.out)?["position"] != nil, "\(report): \(shell.err)")
        #expect(r.out.contains("CITY DASHBOARD"))
        #expect(r.out.contains("signed checkpoint verified"))
    }
}
