import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger rebuild`: rebuilds read models and prints their digests.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild read models from position 1; print each digest.",
        discussion: """
        Rebuilds beside the live read models and switches over at the end, so a service reading \
        them is never left without. Two rebuilds of the same log print the same digests.

        Examples:
          caseledger rebuild
          caseledger rebuild --projection ticket-board --manifest audit-2025.json
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only this projection (ticket-board, evaluation-scores, checkup-register, penalty-register).") var projection: String?
    @Option(help: "Write a replay manifest to this file.") var manifest: String?

    func run() async throws {
        let names = CityProjections.all.map { type(of: $0).name }
        if let projection, !names.contains(projection) {
            throw CLIError("unknown projection '\(projection)'; known: \(names.joined(separator: ", "))")
        }
        try await storeOptions.with(.write) { store in
            let digests = try await Self.rebuild(store, only: projection.map { [$0] })
            for (name, digest) in digests.sorted(by: { $0.key < $1.key }) { Output.line("\(name) \(digest)") }
            if let manifest {
                let head = try await store.head()
                let m = ReplayManifest(headPosition: head.position, headHash: head.position == 0 ? "" : head.hash.hex, projections: digests)
                try OutputFile.write(try m.json(), to: manifest)
            }
        }
    }

    static func rebuild(_ store: any ReadModelStore, only: [String]?) async throws -> [String: String] {
        let engine = ProjectionEngine(store: store, registry: CaseEvents.registry(), options: ProjectionOptions(pageSize: 4_096, saveEvery: 250_000))
        try await CityProjections.register(in: engine)
        let bar = ProgressBar("rebuild")
        let total = try await store.headPosition()
        let digests = try await engine.rebuild(only) { p in
            bar.update(done: p.eventsDone, total: total)
        }
        bar.finish()
        return digests
    }
}
