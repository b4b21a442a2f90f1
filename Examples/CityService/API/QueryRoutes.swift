import CaseLedger
import CaseManagement
import Foundation
import Hummingbird

/// The city-wide queries and the audit console's calls.
///
///     GET  /api/report[?after=P]          the city report from the live read models
///     GET  /api/ratings/trend             ratings and mean score per month
///     GET  /api/status                    each projection's checkpoint, head, lag and state
///     GET  /api/streams/{name}?from=V&limit=N   a stream's events, with hashes (auditor, administrator)
///     POST /api/verify                    the hash chain, the indexes and the saved read models (auditor, administrator)
///     GET  /api/checkpoint                the last signed checkpoint kept in the store (auditor, administrator)
///     POST /api/rebuild                   rebuilds every read model (administrator)
extension CityServer {
    func addQueryRoutes(to api: RouterGroup<CityContext>) {
        api.get("report") { request, context in
            _ = try context.caller()
            if let after = try request.number("after") { try await waitForReadModels(to: after) }
            let report = try await CityReport.live(engine)
            return JSON.raw(Array(try report.json(pretty: false).utf8))
        }

        api.get("ratings/trend") { request, context in
            _ = try context.caller()
            if let after = try request.number("after") { try await waitForReadModels(to: after) }
            let scores = try await engine.state(of: EvaluationScoresProjection.self)
            let months = scores.byMonth.keys.sorted().map { month in
                let score = scores.byMonth[month] ?? Score()
                return TrendPoint(month: month, ratings: score.count, mean: score.mean)
            }
            return JSON.response(months)
        }

        api.get("status") { _, context in
            _ = try context.caller()
            let status = try await engine.status().map {
                StatusRow(name: $0.name, checkpoint: $0.checkpoint, savedCheckpoint: $0.savedCheckpoint, head: $0.head,
                          lagEvents: $0.lagEvents, lagSeconds: $0.lagSeconds, state: $0.state.description)
            }
            return JSON.response(status)
        }

        api.get("streams/:name") { request, context in
            _ = try context.caller(.auditor, .administrator, doing: "browse streams")
            let name = try context.parameters.require("name")
            let stream = try StreamName(name)
            let from = try request.number("from") ?? 1
            let limit = Int(min(try request.number("limit") ?? 50, 1_000))
            let events = try await store.readStream(stream, from: from, direction: .forward, limit: limit)
            return eventList(events, version: try await store.streamVersion(stream))
        }

        api.post("verify") { _, context in
            _ = try context.caller(.auditor, .administrator, doing: "run verification")
            let report = try await LogVerifier(store: store).verify()
            let checks = try await ProjectionReplayer(store: store, registry: desk.registry).checkSaved(CityProjections.all, in: store)
            return JSON.response(VerifyView(
                valid: report.isValid && checks.allSatisfy(\.agrees), events: report.events, headHash: report.headHash.hex,
                failure: report.failure.map { "\($0)" },
                readModels: checks.map { ReadModelView(name: $0.name, savedCheckpoint: $0.savedCheckpoint, agrees: $0.agrees, problem: $0.problem) }))
        }

        api.get("checkpoint") { _, context in
            _ = try context.caller(.auditor, .administrator, doing: "read signed checkpoints")
            let stored = try await SignedCheckpoint.stored(in: store)
            guard let last = stored.max(by: { $0.position < $1.position }) else { throw APIError.notFound("no signed checkpoint is kept in the store") }
            return JSON.response(last)
        }

        api.post("rebuild") { _, context in
            _ = try context.caller(.administrator, doing: "rebuild read models")
            let digests = try await engine.rebuild()
            return JSON.response(["digests": digests])
        }
    }

    struct TrendPoint: Encodable {
        /// 202503 for March 2025.
        var month: Int
        var ratings: Int
        var mean: Double
    }

    struct StatusRow: Encodable {
        var name: String
        var checkpoint: UInt64
        var savedCheckpoint: UInt64?
        var head: UInt64
        var lagEvents: UInt64
        var lagSeconds: Double
        var state: String
    }

    struct ReadModelView: Encodable {
        var name: String
        var savedCheckpoint: UInt64?
        var agrees: Bool
        var problem: String?
    }

    struct VerifyView: Encodable {
        var valid: Bool
        var events: UInt64
        var headHash: String
        var failure: String?
        var readModels: [ReadModelView]
    }

    /// Events as a JSON object `{"version": …, "events": [one export line each]}`:
    /// position, stream, version, type, data, metadata and hash.
    func eventList(_ events: [RecordedEvent], version: UInt64? = nil) -> Response {
        var out = Array("{\"events\":[".utf8)
        for (i, event) in events.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += ArchiveFormat.eventLine(event, registry: desk.registry)
        }
        out += Array("],\"version\":\(version ?? events.last?.streamVersion ?? 0)}".utf8)
        return JSON.raw(out)
    }

    /// Waits (at most 5 s) until the live read models have folded `position`,
    /// so a client reads its own write; 503 when they do not get there.
    func waitForReadModels(to position: UInt64) async throws {
        let engine = self.engine
        let reached = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await engine.waitUntilCaughtUp(to: position)
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        guard reached else { throw APIError(.serviceUnavailable, "read-models-behind", "the read models have not reached position \(position) within 5 s") }
    }
}
