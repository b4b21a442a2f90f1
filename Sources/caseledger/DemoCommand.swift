import ArgumentParser
import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation

/// `caseledger demo`: a small year, rebuilt, reported and verified.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a small year (scale 0.05) into a fresh store, rebuild, print the dashboard, verify.",
        discussion: """
        Examples:
          caseledger demo
          caseledger demo --store /tmp/city --scale 0.2 --seed 7
        """)

    @Option(help: "Where to put the fresh store (must not hold one yet); a new temporary directory by default.")
    var store: String?
    @Option(parsing: .unconditional, help: "The scale, 0.01 to 10.") var scale: Double = 0.05
    @Option(help: "The seed.") var seed: UInt64 = 2025

    func run() async throws {
        try GenerateCommand.check(scale: scale)
        var options = StoreOptions()
        options.store = store ?? NSTemporaryDirectory() + "caseledger-demo-\(UUID().uuidString.prefix(8).lowercased())"
        if options.exists { throw CLIError("\(options.location) already holds a store; the demo needs a fresh one") }
        Output.line("== 1. Generating the year of the city at scale \(scale) (seed \(seed)) into \(options.location)")
        let summary = try await GenerateCommand.generate(into: options, access: .create, scale: scale, seed: seed)
        Output.line("   \(summary.events) events: \(summary.ratings) ratings, \(summary.tickets) tickets, \(summary.checkups) check-ups, \(summary.enforcementCases) enforcement cases (\(String(format: "%.1f", summary.seconds))s)")
        let events = try await options.with(.write) { db in
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
            return report.events
        }
        let tool = Self.executablePath
        let quoted = "'\(options.location)'"
        Output.line("== The store is at \(options.location). Try:")
        Output.line("   \(tool) report --store \(quoted) --as-of \(events / 2)")
        Output.line("   \(tool) read-all --store \(quoted) --limit 10 --format table")
        Output.line("   \(tool) verify --store \(quoted)")
        Output.line("   rm -r \(quoted)    # remove the demo store")
    }

    /// This program's path, as a command that runs from anywhere.
    static var executablePath: String {
        let argument = CommandLine.arguments[0]
        if argument.hasPrefix("/") { return argument }
        if argument.contains("/") { return FileManager.default.currentDirectoryPath + "/" + argument }
        return argument
    }
}
