import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import Foundation

/// The city's case service under a bounded load on loopback: `wrk` (16
/// connections, 10 s, after a 3 s warm-up) submits ratings (POST
/// /api/ratings, durably, the four read models following live) and reads
/// one ticket (GET /api/tickets/{id}). Ratings are set against 16 tasks
/// appending in process (what HTTP costs a write); reads against the
/// service's own bare endpoint (GET /api/whoami: HTTP, the token, JSON, no
/// store), what the store and read models add to a request.
enum ServiceCase {
    static let connections = 16
    static let seconds = 10

    struct Load {
        var requestsPerSecond: Double
        var p99Milliseconds: Double
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `service` on a copy of `city`; runs `body` with its port; stops it with SIGTERM.
    static func withService<T>(_ service: String, city: String, _ body: (Int) async throws -> T) async throws -> T {
        let path = try LiveCase.copy(city)
        defer { Measure.remove(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: service)
        process.arguments = ["--store", path, "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.interrupt() }
            process.waitUntilExit()
        }
        var seen = ""
        while !seen.contains("listening on http://127.0.0.1:") || !seen.hasSuffix("\n") {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { throw Failure(description: "the city service ended before listening: \(seen)") }
            seen += String(decoding: data, as: UTF8.self)
        }
        guard let port = Int(seen.components(separatedBy: "listening on http://127.0.0.1:").last?.prefix(while: \.isNumber) ?? "") else {
            throw Failure(description: "no port in \(seen)")
        }
        return try await body(port)
    }

    /// Runs wrk and reads its requests per second and 99th percentile; any
    /// answer that is not 2xx fails the run (a figure over errors is not one).
    static func wrk(_ arguments: [String], seconds: Int = ServiceCase.seconds) throws -> Load {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, !text.contains("Non-2xx"), !text.contains("Socket errors") else {
            throw Failure(description: "wrk \(arguments.joined(separator: " ")) failed:\n\(text)")
        }
        guard let rate = text.components(separatedBy: "Requests/sec:").last?.split(whereSeparator: \.isNewline).first
            .flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }),
            let p99Line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%") })
        else { throw Failure(description: "cannot read wrk's output:\n\(text)") }
        let value = p99Line.split(separator: " ").last.map(String.init) ?? ""
        let number = Double(value.prefix { $0.isNumber || $0 == "." }) ?? 0
        let unit = value.drop { $0.isNumber || $0 == "." }
        let ms = switch unit {
        case "us": number / 1_000
        case "s": number * 1_000
        case "m": number * 60_000
        default: number
        }
        return Load(requestsPerSecond: rate, p99Milliseconds: ms)
    }

    /// The Lua script that makes each wrk request a new rating.
    static func ratingScript() throws -> String {
        let path = Measure.fresh("ratings") + ".lua"
        try """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer citizen-token"
        local n = 0
        local salt = math.random(1, 1000000000)
        request = function()
          n = n + 1
          local body = string.format('{"ratingID":"wrk-%d-%d","unitID":"unit-%03d","score":%d}', salt, n, n % 294 + 1, n % 5 + 1)
          return wrk.format(nil, nil, nil, body)
        end
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A ticket of the year: its id.
    static func someTicket(in city: String) async throws -> String {
        let store = try LMDBEventStore(path: city, access: .readOnly)
        defer { Task { await store.close() } }
        guard let first = try await store.readAll(from: 1, filter: EventFilter(categories: ["ticket"]), limit: 1).first else {
            throw Failure(description: "no ticket in \(city)")
        }
        return String(first.stream.value.dropFirst("ticket-".count))
    }

    /// The reference for ratings: 16 tasks in process, for `seconds`, each
    /// appending ratings durably with the engine following, without HTTP.
    static func inProcess(city: String) async throws -> Double {
        let path = try LiveCase.copy(city)
        defer { Measure.remove(path) }
        let store = try LMDBEventStore(path: path)
        let registry = CaseEvents.registry()
        let engine = ProjectionEngine(store: store, registry: registry)
        try await CityProjections.register(in: engine)
        try await engine.start()
        let desk = CaseDesk(store: store, registry: registry)
        let end = ContinuousClock.now + .seconds(seconds)
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<connections {
                group.addTask {
                    var n = 0
                    while ContinuousClock.now < end {
                        _ = try await desk.rate(ratingID: "ref-\(client)-\(n)", unitID: "unit-\(client % 7)", score: 1 + n % 5)
                        n += 1
                    }
                    return n
                }
            }
            var all = 0
            for try await n in group { all += n }
            return all
        }
        try await engine.stop()
        await store.close()
        return Double(done) / Double(seconds)
    }
}
