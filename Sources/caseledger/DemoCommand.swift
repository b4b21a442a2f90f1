import ArgumentParser
import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation

/// `caseledger demo`: a small year, rebuilt, reported and verified.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Generate a small year (scale 0.05) into a fresh store, rebuild, print the dashboard, verify.")

    @Option(help: "Where to put the fresh store (must not hold one yet); a new temporary directory by default.")
    var store: String?
    @Option(help: "The scale.") var scale: Double = 0.05
    @Option(help: "The seed.") var seed: UInt64 = 2025

    func run() async throws {
        var options = StoreOptions()
        options.store = store ?? NSTemporaryDirectory() + "caseledger-demo-\(UUID().uuidString)"
        if options.exists { throw CLIError("\(options.store) already holds a store; the demo needs a fresh one") }
        Output.line("== 1. Generating the year of the city at scale \(scale) (seed \(seed)) into \(options.store)")
        let summary = try await GenerateCommand.generate(into: options, scale: scale, seed: seed)
        Output.line("   \(summary.events) events: \(summary.ratings) ratings, \(summary.tickets) tickets, \(summary.checkups) check-ups, \(summary.enforcementCases) enforcement cases (\(String(format: "%.1f", summary.seconds))s)")
        let db = try await options.open()
        do {
            Output.line("== 2. Rebuilding every read model")
            let started = ContinuousClock.now
            let digests = try await RebuildCommand.rebuild(db, only: nil)
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            Output.line("   rebuilt \(digests.count) read models over \(summary.events) events in \(String(format: "%.2f", seconds))s")
            Output.line("== 3. The dashboard")
            let engine = ProjectionEngine(store: db, registry: CaseEvents.registry())
            try await CityProjections.register(in: engine)
            try await engine.catchUp()
            Output.line(try await CityReport.live(engine).text)
            Output.line("== 4. Signing a checkpoint and verifying the log")
            let key = AuditSigningKey()
            let checkpoint = try await key.checkpoint(db)
            let report = try await LogVerifier(store: db).verify(checkpoints: [checkpoint], publicKey: key.publicKey)
            if let failure = report.failure {
                throw CLIError("verification failed at position \(failure.position): \(failure.reason)")
            }
            Output.line("   ok: \(report.events) events verified, head hash \(report.headHash.hex), \(report.checkpointsVerified) signed checkpoint verified")
            Output.line("   try: caseledger report --store \(options.store) --as-of \(report.events / 2)")
        } catch let error as CLIError {
            await db.close()
            throw error
        } catch {
            await db.close()
            throw CLIError("\(error)")
        }
        await db.close()
    }
}
