import ArgumentParser
import CaseLedger
import CaseManagement

/// `caseledger read`: a stream as NDJSON.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read", abstract: "Print a stream's events as NDJSON.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The stream name.") var stream: String
    @Flag(help: "Newest first.") var backward = false

    func run() async throws {
        let name: StreamName
        do { name = try StreamName(stream) } catch { throw CLIError(error.message) }
        let store = try await storeOptions.open()
        let registry = CaseEvents.registry()
        do {
            for try await page in store.streamEvents(name, direction: backward ? .backward : .forward) {
                for event in page { Output.line(EventLine.encode(event, registry: registry)) }
            }
        } catch {
            await store.close()
            throw CLIError(error.message)
        }
        await store.close()
    }
}
