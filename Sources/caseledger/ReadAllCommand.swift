import ArgumentParser
import CaseLedger
import CaseManagement

/// `caseledger read-all`: the log as NDJSON.
struct ReadAllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read-all", abstract: "Print the log as NDJSON.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The first position.") var from: UInt64 = 1
    @Option(help: "Only this category (repeatable).") var category: [String] = []
    @Option(help: "The most events to print.") var limit: Int?

    func run() async throws {
        if let limit, limit < 1 { throw CLIError("--limit must be at least 1") }
        let store = try await storeOptions.open()
        let registry = CaseEvents.registry()
        var left = limit ?? Int.max
        do {
            let filter = category.isEmpty ? EventFilter.all : EventFilter(categories: Set(category))
            for try await page in store.allEvents(from: from, filter: filter, pageSize: min(left, 1_000)) {
                for event in page.prefix(left) { Output.line(EventLine.encode(event, registry: registry)) }
                left -= min(left, page.count)
                if left == 0 { break }
            }
        } catch {
            await store.close()
            throw CLIError(error.message)
        }
        await store.close()
    }
}
