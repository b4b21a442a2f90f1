import CaseLedger
import Foundation
import Testing

@Suite("The CLI explains itself")
struct SelfExplainingTests {
    static let commands = ["demo", "init", "generate", "append", "read", "read-all", "report", "rebuild", "verify", "keygen",
                           "checkpoint", "export", "import", "stats", "tail", "types"]

    @Test("--version prints the library's version; every command's help has examples")
    func versionAndHelp() async throws {
        let version = try await CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.out.trimmingCharacters(in: .whitespacesAndNewlines) == CaseLedgerVersion.current)
        for command in Self.commands {
            let help = try await CLI.run([command, "--help"])
            #expect(help.status == 0, "\(command) --help")
            #expect(help.out.contains("Example"), "\(command) --help has no examples")
        }
        let top = try await CLI.run(["--help"])
        #expect(top.out.contains("--generate-completion-script"), "shell completion is mentioned")
    }

    @Test("types lists every case event with its schema version and fields; --markdown is the layout document")
    func types() async throws {
        let list = try await CLI.run(["types"])
        #expect(list.status == 0)
        let lines = list.out.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("  ") }.count == 31, "30 case event types and the erasure event")
        #expect(lines.contains("  TicketFiled v2  ticketID: String, channel: Channel, category: TicketCategory, filerID: String, summary: String (personal), level: Level, centerID: String, isClue: Bool"))
        #expect(lines.contains("  PersonalDataErased v1  subject: String, reason: String"))
        #expect(lines.contains("  PenaltyDecided v1  caseID: String, list: PenaltyList, fine: Int, reasoning: DecisionReasoning"))

        let markdown = try await CLI.run(["types", "--markdown"])
        #expect(markdown.status == 0)
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/EVENT-LAYOUTS.md")
        #expect(markdown.out == (try String(contentsOf: doc, encoding: .utf8)))

        let fingerprints = try await CLI.run(["types", "--fingerprints"])
        #expect(fingerprints.out.split(separator: "\n").count == 31)
        #expect(fingerprints.out.contains("TicketTaken v1 {ticketID: String, officerID: String}\n"))

        let both = try await CLI.run(["types", "--markdown", "--fingerprints"])
        #expect(both.status != 0)
        #expect(both.out.isEmpty)
        #expect(both.err.split(separator: "\n").count == 1)
    }
}
