import ArgumentParser
import CaseLedger
import CaseWorkload
import Foundation

/// `caseledger generate`: the year of the city.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate the year of the city into an empty store.",
        discussion: """
        A seeded simulation of one year of the city's case work (docs/DOMAIN.md): the same seed \
        gives the same log, byte for byte. Scale 1.0 is the article's year (about a million events).

        Example:
          caseledger generate --store /tmp/city --create --scale 0.05 --seed 7
        """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var create: CreateOption
    @Option(parsing: .unconditional, help: "The scale, 0.01 to 10 (1.0 is the article's year).") var scale: Double = 1.0
    @Option(help: "The seed; the same seed gives the same log.") var seed: UInt64 = 2025

    func run() async throws {
        try Self.check(scale: scale)
        let summary = try await Self.generate(into: storeOptions, access: create.access, scale: scale, seed: seed)
        Output.line("generated \(summary.events) events in \(String(format: "%.1f", summary.seconds))s: \(summary.ratings) ratings, \(summary.tickets) tickets, \(summary.checkups) check-ups (\(summary.riskPoints) risk points), \(summary.enforcementCases) enforcement cases")
    }

    /// Refuses a scale that is not a number from 0.01 to 10.
    static func check(scale: Double) throws {
        guard scale.isFinite, (0.01...10).contains(scale) else {
            throw CLIError("--scale must be a number from 0.01 to 10, not \(scale)")
        }
    }

    static func generate(into options: StoreOptions, access: StoreOptions.Access, scale: Double, seed: UInt64) async throws -> WorkloadSummary {
        try await options.with(access, durability: .relaxed) { store in
            guard try await store.headPosition() == 0 else { throw CLIError("the store at \(options.location) is not empty; generate into a new store") }
            let bar = ProgressBar("generate")
            let summary = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: seed)).generate(into: store) { p in
                bar.update(done: p.events, total: nil, fraction: p.fraction)
            }
            try await store.sync()
            bar.finish()
            return summary
        }
    }
}
