import ArgumentParser
import CaseLedger
import CaseManagement

/// `caseledger read`: a stream's events.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print a stream's events as NDJSON or a table.",
        discussion: """
        Examples:
          caseledger read --stream ticket-2025-00017
          caseledger read --stream ticket-2025-00017 --format table --backward --limit 5
          caseledger read --stream ticket-2025-00017 --master-key master.key   # personal fields in clear, or erased
        """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var personal: PersonalReadOptions
    @Option(help: "The stream name.") var stream: String
    @Flag(help: "Newest first.") var backward = false
    @Option(parsing: .unconditional, help: "The most events to print.") var limit: String?
    @Option(help: "ndjson (one JSON object per line) or table.") var format: EventFormat = .ndjson

    func run() async throws {
        let name: StreamName
        do { name = try StreamName(stream) } catch { throw CLIError(error.message) }
        let most = try limit.map { try Numbers.count($0, flag: "--limit") } ?? Int.max
        try await storeOptions.with(.read) { store in
            let (registry, through) = try await personal.registry(for: store, at: storeOptions)
            let printer = EventPrinter(format: format, registry: registry)
            var left = most
            for try await page in store.streamEvents(name, direction: backward ? .backward : .forward, pageSize: min(most, 1_000)) {
                let shown = page.filter { $0.position <= through ?? .max }.prefix(left)
                for event in shown { printer.print(event) }
                left -= shown.count
                if left == 0 { break }
            }
            printer.finish()
        }
    }
}
