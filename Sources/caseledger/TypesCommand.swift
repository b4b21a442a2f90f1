import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger types`: the case event types, their schema versions and
/// fields; with `--markdown`, the full payload layout document.
struct TypesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "types",
        abstract: "List the case event types with their fields, or print their payload layouts.",
        discussion: """
        Reads no store. Examples:
          caseledger types
          caseledger types --markdown > docs/EVENT-LAYOUTS.md
          caseledger types --fingerprints
        """)

    @Flag(help: "Print every event's payload layout as Markdown (what docs/EVENT-LAYOUTS.md holds).")
    var markdown = false

    @Flag(help: "Print each event's fingerprint (name, schema version, fields in full), one per line.")
    var fingerprints = false

    func run() throws {
        if markdown && fingerprints { throw CLIError("--markdown and --fingerprints are two different outputs: give one") }
        if fingerprints {
            CaseEvents.fingerprints.forEach(Output.line)
            return
        }
        if markdown {
            FileHandle.standardOutput.write(Data(EventLayouts.markdown.utf8))
            return
        }
        for group in EventLayouts.groups {
            Output.line(group.file)
            for type in group.types {
                let fields = type.fields.map { "\($0.name): \($0.type)" + ($0.personalSubject == nil ? "" : " (personal)") }
                Output.line("  \(type.eventType) v\(type.schemaVersion)  \(fields.joined(separator: ", "))")
            }
        }
    }
}
