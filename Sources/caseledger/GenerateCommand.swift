import ArgumentParser
import CaseLedger
import CaseWorkload
import Foundation

/// `caseledger generate`: the year of the city.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Generate the year of the city into an empty store.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The scale, 0.01 to 10 (1.0 is the article's year).") var scale: Double = 1.0
    @Option(help: "The seed; the same seed gives the same log.") var seed: UInt64 = 2025

    func run() async throws {
        guard (0.01...10).contains(scale) else { throw CLIError("--scale must be between 0.01 and 10") }
        let summary = try await Self.generate(into: storeOptions, scale: scale, seed: seed)
        Output.line("generated \(summary.events) events in \(String(format: "%.1f", summary.seconds))s: \(summary.ratings) ratings, \(summary.tickets) tickets, \(summary.checkups) check-ups (\(summary.riskPoints) risk points), \(summary.enforcementCases) enforcement cases")
    }

    static func generate(into options: StoreOptions, scale: Double, seed: UInt64) async throws -> WorkloadSummary {
        let store = try await options.open(create: true, durability: .relaxed)
        do {
            guard try await store.headPosition() == 0 else { throw CLIError("the store at \(options.store) is not empty; generate into a new store") }
            let bar = ProgressBar("generate")
            let summary = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: seed)).generate(into: store) { p in
                bar.update(events: p.events, fraction: p.fraction, rate: p.eventsPerSecond, secondsLeft: p.secondsRemaining)
            }
            bar.finish()
            try await store.sync()
            await store.close()
            return summary
        } catch let error as CLIError {
            await store.close()
            throw error
        } catch let error as EventStoreError {
            await store.close()
            throw CLIError(error.message)
        }
    }
}
