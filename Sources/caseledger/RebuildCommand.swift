import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger rebuild`: rebuilds read models and prints their digests.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Rebuild read models from position 1; print each digest.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only this projection (ticket-board, evaluation-scores, checkup-register, penalty-register).") var projection: String?
    @Option(help: "Write a replay manifest to this file.") var manifest: String?

    func run() async throws {
        let names = CityProjections.all.map { type(of: $0).name }
        if let projection, !names.contains(projection) {
            throw CLIError("unknown projection '\(projection)'; known: \(names.joined(separator: ", "))")
        }
        let store = try await storeOptions.open()
        do {
            let digests = try await Self.rebuild(store, only: projection.map { [$0] })
            for (name, digest) in digests.sorted(by: { $0.key < $1.key }) { Output.line("\(name) \(digest)") }
            if let manifest {
                let head = try await store.headPosition()
                let last = try await store.readAll(from: head, limit: 1).first
                let m = ReplayManifest(headPosition: head, headHash: last?.hash.hex ?? "", projections: digests)
                guard FileManager.default.createFile(atPath: manifest, contents: try m.json()) else { throw CLIError("cannot write \(manifest)") }
            }
        } catch let error as CLIError {
            await store.close()
            throw error
        } catch {
            await store.close()
            throw CLIError("\(error)")
        }
        await store.close()
    }

    static func rebuild(_ store: any ReadModelStore, only: [String]?) async throws -> [String: String] {
        let engine = ProjectionEngine(store: store, registry: CaseEvents.registry(), options: ProjectionOptions(pageSize: 4_096, saveEvery: 250_000))
        try await CityProjections.register(in: engine)
        let bar = ProgressBar("rebuild")
        let digests = try await engine.rebuild(only) { p in
            bar.update(events: p.eventsDone, fraction: p.fraction, rate: p.eventsPerSecond, secondsLeft: p.secondsRemaining)
        }
        bar.finish()
        return digests
    }
}
