import ArgumentParser
import CaseLedger
import CaseManagement

/// `caseledger tail`: follows live appends as NDJSON.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Follow live appends as NDJSON.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only this category (repeatable).") var category: [String] = []
    @Option(help: "Start at this position instead of the next append.") var from: UInt64?

    func run() async throws {
        let store = try await storeOptions.open()
        let registry = CaseEvents.registry()
        do {
            var start = try await store.headPosition() + 1
            if let from { start = from }
            let filter = category.isEmpty ? EventFilter.all : EventFilter(categories: Set(category))
            for try await event in store.subscribe(from: start, filter: filter) {
                Output.line(EventLine.encode(event, registry: registry))
            }
        } catch {
            await store.close()
            throw CLIError(error.message)
        }
        await store.close()
    }
}
