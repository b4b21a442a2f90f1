import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger report`: the read models, live or as of a point in the past.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the read models as tables or JSON, now or as of a position or time.",
        discussion: """
        Reads only: the store is opened read-only and nothing is saved. Now, the saved read models \
        are loaded and brought up to the head in memory; as of a position or a time, they are \
        replayed from the start. The header names the position the figures stand at.

        Examples:
          caseledger report
          caseledger report --as-of 25000 --json
          caseledger report --as-of-time 2025-06-30T23:59:59Z
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "JSON instead of tables.") var json = false
    @Option(name: .customLong("as-of"), parsing: .unconditional, help: "Replay up to this position.") var asOf: String?
    @Option(name: .customLong("as-of-time"), help: "Replay events recorded up to this ISO 8601 time.") var asOfTime: String?

    func run() async throws {
        if asOf != nil && asOfTime != nil { throw CLIError("give --as-of or --as-of-time, not both") }
        var point: ReplayPoint = .head
        if let asOf { point = .position(try Numbers.position(asOf, flag: "--as-of")) }
        if let asOfTime {
            guard let t = Timestamp(iso8601: asOfTime) else { throw CLIError("--as-of-time '\(asOfTime)' is not an ISO 8601 time") }
            point = .time(t)
        }
        let report: CityReport = try await storeOptions.with(.read) { store in
            let registry = CaseEvents.registry()
            if point == .head {
                // The saved read models, brought up to the head in memory.
                let engine = ProjectionEngine(store: store, registry: registry, options: ProjectionOptions(savesState: false))
                try await CityProjections.register(in: engine)
                try await engine.catchUp()
                return try await CityReport.live(engine)
            }
            let replay = try await ProjectionReplayer(store: store, registry: registry).replay(CityProjections.all, asOf: point)
            guard let r = CityReport(replay) else { throw CLIError("the replay produced no report") }
            return r
        }
        Output.line(json ? try report.json() : report.text)
    }
}
