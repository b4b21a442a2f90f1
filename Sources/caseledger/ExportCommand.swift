import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger export`: the whole log as NDJSON, hashes included.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log to a file as NDJSON: every event, the signed checkpoints, a trailer.",
        discussion: """
        Reads only. The file is written beside its name and moved into place at the end: a full \
        disk leaves no half-written export. Its format is in docs/FORMAT.md; an auditor can check \
        it with tools/caseledger_verify.py, without our Swift code.

        Example:
          caseledger export --to city-2025.ndjson
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The file to write.") var to: String

    func run() async throws {
        let trailer = try await storeOptions.with(.read) { store in
            let bar = ProgressBar("export")
            let trailer = try await LogExporter(store: store, registry: CaseEvents.registry()).export(to: to) { done, total in
                bar.update(done: done, total: total)
            }
            bar.finish()
            return trailer
        }
        Output.line("exported \(trailer.events) events to \(to); head \(trailer.headPosition), hash \(trailer.headHash.isEmpty ? "-" : trailer.headHash)")
    }
}
