// A service that embeds CaseLedger: one store, the city's read models
// following live, a request that waits to read its own write, and a clean
// shutdown on SIGTERM. Compiled with the package; `swift run
// EmbeddingInAService` runs it until Ctrl-C.

// snippet.hide
import CaseLedger
import CaseLedgerLMDB
import CaseLedgerService
import CaseManagement
import Foundation
import Logging
import ServiceLifecycle

// snippet.show
// snippet.request
/// A request handler: submits a rating and answers once the read model shows it.
struct RatingDesk {
    let desk: CaseDesk
    let engine: ProjectionEngine

    func rate(unit: String, score: Int) async throws -> Int {
        let written = try await desk.rate(ratingID: UUID().uuidString, unitID: unit, score: score)
        try await engine.waitUntilCaughtUp(to: written.map(\.lastPosition).max() ?? 0)
        return try await engine.state(of: EvaluationScoresProjection.self).units[unit]?.count ?? 0
    }
}
// snippet.end

// snippet.hide
func serve(at path: String) async throws {
// snippet.show
// snippet.group
let logger = Logger(label: "city-service")
let store = try LMDBEventStore(path: path)
let engine = ProjectionEngine(store: store, registry: CaseEvents.registry(),
                              options: ProjectionOptions(saveInterval: .seconds(1)), logger: logger)
try await CityProjections.register(in: engine)
let ratings = RatingDesk(desk: CaseDesk(store: store), engine: engine)

// The store first: services stop in reverse order, so it closes last.
let group = ServiceGroup(configuration: .init(
    services: [EventStoreService(store, logger: logger), engine],
    gracefulShutdownSignals: [.sigterm, .sigint],
    logger: logger))
async let running: Void = group.run()
print("ratings for unit-1:", try await ratings.rate(unit: "unit-1", score: 5))
for status in try await engine.status() {
    print(status.name, "at", status.checkpoint, "of", status.head, status.state)
}
try await running                      // until SIGTERM or Ctrl-C: folds, saves, closes
// snippet.end
// snippet.hide
}

try await serve(at: CommandLine.arguments.dropFirst().first ?? NSTemporaryDirectory() + "caseledger-service-example")
