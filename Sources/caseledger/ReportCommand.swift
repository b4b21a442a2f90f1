import ArgumentParser
import CaseLedger
import CaseManagement
import Foundation

/// `caseledger report`: the read models, live or as of a point in the past.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print the read models as tables or JSON, now or as of a position or time.")

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "JSON instead of tables.") var json = false
    @Option(name: .customLong("as-of"), help: "Replay up to this position.") var asOf: UInt64?
    @Option(name: .customLong("as-of-time"), help: "Replay events recorded up to this ISO 8601 time.") var asOfTime: String?

    func run() async throws {
        if asOf != nil && asOfTime != nil { throw CLIError("give --as-of or --as-of-time, not both") }
        var point: ReplayPoint = .head
        if let asOf { point = .position(asOf) }
        if let asOfTime {
            guard let t = Timestamp(iso8601: asOfTime) else { throw CLIError("--as-of-time '\(asOfTime)' is not an ISO 8601 time") }
            point = .time(t)
        }
        let store = try await storeOptions.open()
        let report: CityReport
        do {
            if point == .head {
                // The live read models: load what is saved and catch up.
                let engine = ProjectionEngine(store: store, registry: CaseEvents.registry())
                try await CityProjections.register(in: engine)
                try await engine.catchUp()
                report = try await CityReport.live(engine)
            } else {
                let replay = try await ProjectionReplayer(store: store, registry: CaseEvents.registry()).replay(CityProjections.all, asOf: point)
                guard let r = CityReport(replay) else { throw CLIError("the replay produced no report") }
                report = r
            }
        } catch let error as CLIError {
            await store.close()
            throw error
        } catch {
            await store.close()
            throw CLIError("\(error)")
        }
        await store.close()
        Output.line(json ? try report.json() : report.text)
    }
}
