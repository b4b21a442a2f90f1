import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger export`: the whole log as NDJSON, hashes included.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write the log to a file as NDJSON, hashes included.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The file to write.") var to: String

    func run() async throws {
        let store = try await storeOptions.open()
        guard FileManager.default.createFile(atPath: to, contents: nil), let file = FileHandle(forWritingAtPath: to) else {
            await store.close()
            throw CLIError("cannot write \(to)")
        }
        let registry = CaseEvents.registry()
        var count = 0
        do {
            for try await page in store.allEvents(pageSize: 2_000) {
                var chunk = ""
                for event in page {
                    chunk += EventLine.encode(event, registry: registry)
                    chunk += "\n"
                }
                file.write(Data(chunk.utf8))
                count += page.count
            }
        } catch {
            try? file.close()
            await store.close()
            throw CLIError(error.message)
        }
        try file.close()
        await store.close()
        Output.line("exported \(count) events to \(to)")
    }
}
