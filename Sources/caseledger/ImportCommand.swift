import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger import`: an exported log into a store, all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an exported NDJSON log: all of it or nothing.",
        discussion: """
        Every line is checked (positions, the hash chain, data against payload, case events that \
        decode) and the trailer must agree; then the events the store lacks are appended in one \
        transaction, which commits only if the log ends at the file's head hash. Importing the \
        same file again adds nothing. The signed checkpoints the file carries are kept.

        Examples:
          caseledger import --store /tmp/copy --create --from city-2025.ndjson
          caseledger import --from old-export.ndjson --allow-missing-trailer
        """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var create: CreateOption
    @Option(help: "The file to read.") var from: String
    @Flag(help: "Import a file that has no trailer line (made before export format 2, or cut short).") var allowMissingTrailer = false
    @Flag(help: "Relaxed durability (one sync at the end) for speed.") var relaxed = false

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: from) else { throw CLIError("cannot read \(from)") }
        // A store this import creates is removed again if the import fails:
        // a refused import leaves nothing behind.
        let creates = !storeOptions.isPostgres && !storeOptions.exists && create.create
        let directoryExisted = FileManager.default.fileExists(atPath: storeOptions.location)
        do {
            try await importFile()
        } catch {
            if creates {
                if directoryExisted {
                    for file in ["data.mdb", "lock.mdb"] { try? FileManager.default.removeItem(atPath: storeOptions.location + "/" + file) }
                } else {
                    try? FileManager.default.removeItem(atPath: storeOptions.location)
                }
            }
            throw error
        }
    }

    func importFile() async throws {
        let summary = try await storeOptions.with(create.access, durability: relaxed ? .relaxed : .durable) { store in
            let bar = ProgressBar("import")
            let summary = try await LogImporter(store: store, registry: CaseEvents.registry())
                .importFile(from, allowMissingTrailer: allowMissingTrailer) { done, total in bar.update(done: done, total: total) }
            try await store.sync()
            bar.finish()
            return summary
        }
        Output.line("imported \(summary.added) events (\(summary.alreadyPresent) already present), \(summary.checkpoints) signed checkpoints; head \(summary.head.position), hash \(summary.head.position == 0 ? "-" : summary.head.hash.hex)")
    }
}
