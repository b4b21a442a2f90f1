import CaseLedger
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import CityService

/// A city service over an in-memory store, its engine following live,
/// called through Hummingbird's router test client.
struct CityHarness {
    /// The callers of the tests: one of each role, and officers of three units.
    static let tokens = TokenBook([
        "admin": Principal(role: .administrator, id: "admin"),
        "auditor": Principal(role: .auditor, id: "auditor-1"),
        "center": Principal(role: .officer, id: "officer-c1", unit: "center-village-0001"),
        "unit": Principal(role: .officer, id: "officer-u1", unit: "unit-001"),
        "other-unit": Principal(role: .officer, id: "officer-u2", unit: "unit-002"),
        "department": Principal(role: .officer, id: "officer-d1", unit: "market-regulation"),
        "citizen": Principal(role: .citizen, id: "citizen-1"),
        "other-citizen": Principal(role: .citizen, id: "citizen-2"),
    ])

    /// Sends a request and reads the whole answer.
    typealias Send = @Sendable (HTTPRequest.Method, String, HTTPFields, ByteBuffer?) async throws -> Reply
    let send: Send
    let server: CityServer

    init(server: CityServer, send: @escaping Send) {
        self.server = server
        self.send = send
    }

    /// Through Hummingbird's test client (the router, or a live server).
    init(client: any TestClientProtocol, server: CityServer) {
        self.init(server: server) { method, uri, headers, body in
            try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                Reply(status: response.status, text: String(buffer: response.body), etag: response.headers[.eTag])
            }
        }
    }

    /// Through an HTTP client connected to a server on a real port.
    init(live client: TestClient, server: CityServer) {
        self.init(server: server) { method, uri, headers, body in
            let response = try await client.execute(TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body))
            return Reply(status: response.status, text: response.body.map { String(buffer: $0) } ?? "", etag: response.headers[.eTag])
        }
    }

    /// Runs `body` against a fresh service, then stops the engine and closes the store.
    static func with(_ body: @Sendable (CityHarness) async throws -> Void) async throws {
        let store = InMemoryEventStore()
        let server = try await CityServer(store: store, tokens: tokens, options: ProjectionOptions(saveInterval: .milliseconds(20)))
        try await server.engine.start()
        let app = Application(router: server.router())
        do {
            try await app.test(.router) { client in try await body(CityHarness(client: client, server: server)) }
        } catch {
            try? await server.engine.stop()
            await store.close()
            throw error
        }
        try await server.engine.stop()
        await store.close()
    }

    /// An answer: its status, its JSON and its `ETag`.
    struct Reply {
        var status: HTTPResponse.Status
        var text: String
        var etag: String?
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
        var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
        /// The log position of a command's last event.
        var position: UInt64 { (json["positions"] as? [Any])?.compactMap { ($0 as? NSNumber)?.uint64Value }.last ?? 0 }
        var version: UInt64 { (json["version"] as? NSNumber)?.uint64Value ?? 0 }
        var error: String? { json["error"] as? String }
    }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, as token: String?, _ body: String? = nil, ifMatch: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let ifMatch { headers[.ifMatch] = ifMatch }
        if body != nil { headers[.contentType] = "application/json" }
        return try await send(method, path, headers, body.map { ByteBuffer(string: $0) })
    }

    func post(_ path: String, as token: String?, _ body: String = "{}", ifMatch: String? = nil) async throws -> Reply {
        try await call(.post, path, as: token, body, ifMatch: ifMatch)
    }

    func get(_ path: String, as token: String?) async throws -> Reply {
        try await call(.get, path, as: token)
    }

    /// The head of the log: what a refused request must leave unchanged.
    func head() async throws -> UInt64 { try await server.store.headPosition() }

    /// Files ticket `id` as citizen-1 at center-village-0001.
    @discardableResult
    func file(_ id: String, as token: String = "citizen") async throws -> Reply {
        try await post("/api/tickets", as: token, """
            {"ticketID": "\(id)", "channel": "evaluationApp", "category": "wageDispute", "summary": "wages unpaid",
             "level": "village", "centerID": "center-village-0001"}
            """)
    }

    /// Files ticket `id` and takes it through assessment, assignment to
    /// unit-001 and taking.
    func fileAndAssign(_ id: String) async throws {
        try await file(id)
        try await post("/api/tickets/\(id)/assess", as: "center", #"{"risk": "high"}"#)
        try await post("/api/tickets/\(id)/assign", as: "center", #"{"assigneeID": "unit-001", "level": "village", "deadline": "2030-01-01T00:00:00Z"}"#)
        try await post("/api/tickets/\(id)/take", as: "unit")
    }
}
