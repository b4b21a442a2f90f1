import ArgumentParser
import CaseLedger
import CaseManagement

/// `caseledger tail`: follows live appends.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow live appends as NDJSON (or a table).",
        discussion: """
        Reads only; runs until interrupted. Examples:
          caseledger tail --category ticket
          caseledger tail --from 1 --format table
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only this category (repeatable).") var category: [String] = []
    @Option(parsing: .unconditional, help: "Start at this position instead of the next append.") var from: String?
    @Option(help: "ndjson (one JSON object per line) or table.") var format: EventFormat = .ndjson

    func run() async throws {
        let start = try from.map { try Numbers.position($0, flag: "--from") }
        try await storeOptions.with(.read) { store in
            let printer = EventPrinter(format: format, registry: CaseEvents.registry())
            var first = try await store.headPosition() + 1
            if let start { first = start }
            let filter = category.isEmpty ? EventFilter.all : EventFilter(categories: Set(category))
            for try await event in store.subscribe(from: first, filter: filter) { printer.print(event) }
        }
    }
}
