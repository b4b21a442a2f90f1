import ArgumentParser
import CaseLedger
import CaseManagement

/// `caseledger read-all`: the log.
struct ReadAllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read-all",
        abstract: "Print the log as NDJSON or a table.",
        discussion: """
        Examples:
          caseledger read-all --limit 20 --format table
          caseledger read-all --from 1000 --category ticket --category checkup
        """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var personal: PersonalReadOptions
    @Option(parsing: .unconditional, help: "The first position.") var from: String = "1"
    @Option(help: "Only this category (repeatable).") var category: [String] = []
    @Option(parsing: .unconditional, help: "The most events to print.") var limit: String?
    @Option(help: "ndjson (one JSON object per line) or table.") var format: EventFormat = .ndjson

    func run() async throws {
        let start = try Numbers.position(from, flag: "--from")
        let most = try limit.map { try Numbers.count($0, flag: "--limit") } ?? Int.max
        try await storeOptions.with(.read) { store in
            let (registry, through) = try await personal.registry(for: store, at: storeOptions)
            let printer = EventPrinter(format: format, registry: registry)
            var left = most
            let filter = category.isEmpty ? EventFilter.all : EventFilter(categories: Set(category))
            for try await page in store.allEvents(from: start, filter: filter, pageSize: min(left, 1_000)) {
                let shown = page.prefix(left).prefix { $0.position <= through ?? .max }
                for event in shown { printer.print(event) }
                if shown.count < min(left, page.count) { break }
                left -= min(left, page.count)
                if left == 0 { break }
            }
            printer.finish()
        }
    }
}
