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
        transaction, which commits only if the log ends at the file's head hash. A new store \
        (--create) is built beside its path and moved into place when the whole file is in. \
        Importing the same file again adds nothing. The signed checkpoints the file carries are kept.

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
        let fm = FileManager.default
        guard !storeOptions.isPostgres, !storeOptions.exists, create.create else {
            // Into an existing store (or PostgreSQL): one transaction, all or nothing.
            try await importFile(into: storeOptions, transactionSize: nil)
            return
        }
        // A new store is built beside its place, in transactions of 100,000
        // events, and moved into place only when the whole file is in: a
        // refused or interrupted import leaves nothing at the store's path.
        let target = storeOptions.location
        var building = storeOptions
        building.store = target.hasSuffix("/") ? String(target.dropLast()) + ".importing-\(getpid())" : target + ".importing-\(getpid())"
        defer { try? fm.removeItem(atPath: building.location) }
        try await importFile(into: building, transactionSize: 100_000)
        let directoryExisted = fm.fileExists(atPath: target)
        do {
            if directoryExisted {
                try fm.moveItem(atPath: building.location + "/data.mdb", toPath: target + "/data.mdb")
            } else {
                try fm.moveItem(atPath: building.location, toPath: target)
                try? fm.removeItem(atPath: target + "/lock.mdb")
            }
        } catch {
            throw CLIError("cannot move the imported store into place at \(target): \(error.localizedDescription)")
        }
    }

    func importFile(into options: StoreOptions, transactionSize: Int?) async throws {
        let summary = try await options.with(create.access, durability: relaxed ? .relaxed : .durable) { store in
            let bar = ProgressBar("import")
            let summary = try await LogImporter(store: store, registry: CaseEvents.registry())
                .importFile(from, allowMissingTrailer: allowMissingTrailer, transactionSize: transactionSize) { done, total in
                    bar.update(done: done, total: total)
                }
            try await store.sync()
            bar.finish()
            return summary
        }
        Output.line("imported \(summary.added) events (\(summary.alreadyPresent) already present), \(summary.checkpoints) signed checkpoints; head \(summary.head.position), hash \(summary.head.position == 0 ? "-" : summary.head.hash.hex)")
    }
}
