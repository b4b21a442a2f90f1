import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation

/// A service's read models following live: 16 clients submit ratings one at
/// a time, durably, on a copy of the year of the city; with the four city
/// read models following (each client waits until its rating is visible)
/// and without them.
enum LiveCase {
    struct Run {
        var ratingsPerSecond: Double
        /// Append returned → read model reflects it, in seconds, sorted.
        var latencies: [Double]
        /// Bytes written (LMDB's page writes, the engine's saves) per event appended.
        var bytesPerEvent: Double
        /// Open, register, load the saved read models and go live.
        var startSeconds: Double
    }

    static let clients = 16

    /// A copy of `city` (whose read models are saved at its head) to work on.
    static func copy(_ city: String) throws -> String {
        let path = Measure.fresh("live")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in ["data.mdb", "lock.mdb"] where FileManager.default.fileExists(atPath: city + "/" + file) {
            try FileManager.default.copyItem(atPath: city + "/" + file, toPath: path + "/" + file)
        }
        return path
    }

    /// Saves the city's read models at its head, once, so a service starts from them.
    static func prepare(_ city: String) async throws {
        let store = try LMDBEventStore(path: city)
        let engine = ProjectionEngine(store: store, registry: CaseEvents.registry(), options: ProjectionOptions(pageSize: 4_096))
        try await CityProjections.register(in: engine)
        if try await engine.status().contains(where: { $0.savedCheckpoint != $0.head }) { _ = try await engine.catchUp() }
        await store.close()
    }

    /// One round: `each` ratings per client.
    static func run(city: String, following: Bool, each: Int, round: Int) async throws -> Run {
        let path = try copy(city)
        defer { Measure.remove(path) }
        let started = ContinuousClock.now
        let store = try LMDBEventStore(path: path)
        let registry = CaseEvents.registry()
        let engine: ProjectionEngine? = following ? ProjectionEngine(store: store, registry: registry) : nil
        if let engine {
            try await CityProjections.register(in: engine)
            try await engine.start()
        }
        let startSeconds = (ContinuousClock.now - started) / .seconds(1)
        let before = try await store.statistics()
        let written = Measure.bytesWritten()
        let desk = CaseDesk(store: store, registry: registry)
        var latencies: [Double] = []
        let seconds = try await Measure.seconds {
            latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                for client in 0..<clients {
                    group.addTask {
                        var mine: [Double] = []
                        for i in 0..<each {
                            let written = try await desk.rate(ratingID: "live-\(following)-\(round)-\(client)-\(i)",
                                                              unitID: "unit-\(client % 7)", score: 1 + (client + i) % 5)
                            guard let engine else { continue }
                            let appended = ContinuousClock.now
                            try await engine.waitUntilCaughtUp(to: written.map(\.lastPosition).max() ?? 0)
                            mine.append((ContinuousClock.now - appended) / .seconds(1))
                        }
                        return mine
                    }
                }
                var all: [Double] = []
                for try await mine in group { all += mine }
                return all
            }
        }
        if let engine { try await engine.stop() }
        try await store.sync()
        let grown = Measure.bytesWritten() - written
        let after = try await store.statistics()
        await store.close()
        let events = Double(after.events - before.events)
        return Run(ratingsPerSecond: Double(clients * each) / seconds, latencies: latencies.sorted(),
                   bytesPerEvent: grown / max(1, events), startSeconds: startSeconds)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}
