import ArgumentParser
import CaseLedger
import CaseWorkload
import Crypto
import Foundation

/// `caseledger generate`: the year of the city.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate the year of the city into an empty store.",
        discussion: """
        A seeded simulation of one year of the city's case work (docs/DOMAIN.md): the same seed \
        gives the same log, byte for byte. Scale 1.0 is the article's year (about a million events).

        With --master-key, the personal fields (ticket summaries, raters) are sealed per citizen under \
        keys kept in the store's key store (see `caseledger keys`, `caseledger forget`); the log is then \
        the same for the same seed except for the sealed bytes.

        Example:
          caseledger generate --store /tmp/city --create --scale 0.05 --seed 7
          caseledger generate --store /tmp/city-sealed --create --scale 0.05 --master-key master.key
        """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var create: CreateOption
    @Option(parsing: .unconditional, help: "The scale, 0.01 to 10 (1.0 is the article's year).") var scale: Double = 1.0
    @Option(help: "The seed; the same seed gives the same log.") var seed: UInt64 = 2025
    @Option(name: .customLong("master-key"), help: "Seal personal fields per citizen, with keys wrapped by this master key file (`caseledger keys master`).")
    var masterKey: String?

    func run() async throws {
        try Self.check(scale: scale)
        let summary = try await Self.generate(into: storeOptions, access: create.access, scale: scale, seed: seed, masterKey: masterKey)
        Output.line("generated \(summary.events) events in \(String(format: "%.1f", summary.seconds))s: \(summary.ratings) ratings, \(summary.tickets) tickets, \(summary.checkups) check-ups (\(summary.riskPoints) risk points), \(summary.enforcementCases) enforcement cases")
    }

    /// Refuses a scale that is not a number from 0.01 to 10.
    static func check(scale: Double) throws {
        guard scale.isFinite, (0.01...10).contains(scale) else {
            throw CLIError("--scale must be a number from 0.01 to 10, not \(scale)")
        }
    }

    static func generate(into options: StoreOptions, access: StoreOptions.Access, scale: Double, seed: UInt64,
                         masterKey: String? = nil) async throws -> WorkloadSummary {
        guard let masterKey else {
            return try await options.with(access, durability: .relaxed) { store in try await generate(into: store, options, scale: scale, seed: seed, vault: nil) }
        }
        let master: SymmetricKey
        do { master = try MasterKeyFile.read(masterKey) } catch { throw CLIError(error.message) }
        return try await options.withKeys(access) { store, keys in
            try await generate(into: store, options, scale: scale, seed: seed,
                               vault: try await PersonalDataVault(storage: keys, masterKey: master))
        }
    }

    private static func generate(into store: any ReadModelStore, _ options: StoreOptions, scale: Double, seed: UInt64,
                                 vault: PersonalDataVault?) async throws -> WorkloadSummary {
        guard try await store.headPosition() == 0 else { throw CLIError("the store at \(options.location) is not empty; generate into a new store") }
        let bar = ProgressBar("generate")
        let summary = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: seed)).generate(into: store, personalData: vault) { p in
            bar.update(done: p.events, total: nil, fraction: p.fraction)
        }
        try await store.sync()
        bar.finish()
        return summary
    }
}
