import CaseLedger
import CaseLedgerLMDB
import Foundation
import Tracing

/// What tracing costs when a service installs a tracer that records
/// nothing: single-event appends and aggregate loads with a no-op tracer
/// against the same with none.
enum TracingCase {
    /// A tracer whose spans record nothing.
    static var noOp: any Tracer { NoOpTracer() }

    /// Appends `count` single events one at a time (relaxed); events per second.
    static func appends(tracer: (any Tracer)?, count: Int) async throws -> Double {
        let path = Measure.fresh("tracing")
        defer { Measure.remove(path) }
        var options = EventStoreOptions()
        options.tracer = tracer
        let store = try LMDBEventStore(configuration: LMDBConfiguration(path: path, durability: .relaxed, options: options))
        let streams = try (0..<100).map { try StreamName("ticket-\($0)") }
        let seconds = try await Measure.seconds {
            for i in 0..<count { _ = try await store.append([Cases.event(i)], to: streams[i % 100]) }
        }
        await store.close()
        return Double(count) / seconds
    }

    /// The same on the in-memory store: the CPU path alone, no disk.
    static func inMemoryAppends(tracer: (any Tracer)?, count: Int) async throws -> Double {
        var options = EventStoreOptions()
        options.tracer = tracer
        let store = InMemoryEventStore(options: options)
        let streams = try (0..<100).map { try StreamName("ticket-\($0)") }
        let seconds = try await Measure.seconds {
            for i in 0..<count { _ = try await store.append([Cases.event(i)], to: streams[i % 100]) }
        }
        await store.close()
        return Double(count) / seconds
    }
}
