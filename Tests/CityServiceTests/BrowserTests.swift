import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing
@testable import CityService

@Suite("City service: the dashboard in a real browser")
struct BrowserTests {
    /// The text of the element with `id` in a DOM dump.
    static func element(_ id: String, in dom: String) -> String? {
        guard let start = dom.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = dom[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = dom[dom.index(after: open)...]
        guard let close = rest.firstIndex(of: "<") else { return nil }
        return String(rest[..<close])
    }

    @Test("a service on a loopback port: a ticket driven through the seven steps shows on the dashboard, live from the feed, with its history; SIGTERM-style shutdown saves every folded event")
    func dashboard() async throws {
        let chromium = try Chromium.find()
        let folder = NSTemporaryDirectory() + "city-browser-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try LMDBEventStore(path: folder, access: .create)
        var logger = Logger(label: "city-browser-test")
        logger.logLevel = .warning
        let server = try await CityServer(store: store, tokens: CityHarness.tokens, logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(configuration: .init(services: server.services(host: "127.0.0.1", port: 0) { portContinuation.yield($0) },
                                                      logger: logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let base = "http://127.0.0.1:\(port)"

        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let city = CityHarness(live: client, server: server)
            // The seven steps, through the API on the real port.
            try await city.fileAndAssign("T-1")
            try await city.post("/api/tickets/T-1/handle", as: "unit", #"{"action": "worked"}"#)
            try await city.post("/api/tickets/T-1/conclude", as: "unit", #"{"outcome": "resolved"}"#)
            let rated = try await city.post("/api/tickets/T-1/evaluate", as: "citizen", #"{"rating": 4}"#)
            #expect(rated.status == .created, "\(rated.text)")
            _ = try await city.get("/api/report?after=\(rated.position)", as: "auditor")

            // 1. The dashboard shows the new numbers.
            let dom = try await chromium.dom("\(base)/?feed=off#token=auditor")
            #expect(Self.element("tickets-accepted", in: dom) == "1", "accepted on the dashboard: \(dom.prefix(2_000))")
            #expect(Self.element("tickets-concluded", in: dom) == "1")
            #expect(Self.element("report-position", in: dom) == String(rated.position))
            #expect(Self.element("caller", in: dom) == "auditor auditor-1")

            // 2. Live: the page follows the feed; a ticket filed while it
            // watches shows up without a reload.
            let next = rated.position + 1
            async let liveDOM = chromium.dom("\(base)/?feedUntil=\(next)#token=auditor", budget: 15_000)
            let deadline = ContinuousClock.now + .seconds(60)
            while await server.feeds.open == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(await server.feeds.open == 1, "the page opened the feed")
            let second = try await city.file("T-2")
            #expect(second.position == next)
            let live = try await liveDOM
            #expect(Self.element("tickets-accepted", in: live) == "2", "the new ticket, live: \(live.prefix(2_000))")
            #expect(Self.element("last-event", in: live) == "\(next) TicketFiled on ticket-T-2")
            #expect(Self.element("live", in: live) == "feed ended")

            // 3. The stream browser shows the ticket's history, each event with its hash.
            let history = try await city.get("/api/tickets/T-1/history", as: "auditor")
            let hashes = (history.json["events"] as? [[String: Any]] ?? []).compactMap { $0["hash"] as? String }
            #expect(hashes.count == 7)
            let streamDOM = try await chromium.dom("\(base)/?feed=off&page=streams&stream=ticket-T-1#token=auditor")
            for hash in hashes { #expect(streamDOM.contains(hash), "hash \(hash) on the stream page") }
            #expect(streamDOM.contains("TicketEvaluated"))

            // 4. A screenshot of the dashboard, kept as the test's artifact.
            let artifacts = FileManager.default.currentDirectoryPath + "/.build/artifacts"
            try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
            let shot = artifacts + "/dashboard.png"
            try? FileManager.default.removeItem(atPath: shot)
            try await chromium.screenshot("\(base)/?feed=off#token=auditor", to: shot)
            let png = try Data(contentsOf: URL(fileURLWithPath: shot))
            #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG of the dashboard at \(shot)")
        }

        // Graceful shutdown (what SIGTERM triggers): the engine saves every folded event.
        let head = try await store.headPosition()
        try await server.engine.waitUntilCaughtUp(to: head)
        await group.triggerGracefulShutdown()
        try await running.value
        let reopened = try LMDBEventStore(path: folder, access: .readOnly)
        for projection in CityProjections.all {
            #expect(try await reopened.loadProjection(slot: type(of: projection).name)?.checkpoint == head, "\(type(of: projection).name) saved at the head")
        }
        await reopened.close()
    }
}
