import Foundation
import Testing

@Suite("caseledger append, read, read-all, tail, bad input")
struct EventCommandTests {
    @Test("append prints the position; read and read-all print NDJSON with every key")
    func appendAndRead() async throws {
        let store = CLI.temporary("append")
        defer { CLI.remove(store) }
        let first = try await CLI.run(["append", "--store", store, "--create", "--stream", "ticket-1", "--type", "Noted", "--data", #"{"a":1}"#, "--expected-version", "no-stream"])
        #expect(first.status == 0)
        #expect(first.out == "1\n")
        let second = try await CLI.run(["append", "--store", store, "--stream", "ticket-1", "--type", "TicketAssessed",
                                  "--data", #"{"ticketID":"1","risk":"high","earlyWarning":true}"#, "--expected-version", "1",
                                  "--event-id", "6f9619ff-8b86-d011-b42d-00cf4fc964ff"])
        #expect(second.status == 0)
        #expect(second.out == "2\n")
        _ = try await CLI.run(["append", "--store", store, "--stream", "unit-7", "--type", "Noted", "--data", #""plain text""#])
        let read = try await CLI.run(["read", "--store", store, "--stream", "ticket-1"])
        let lines = read.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let line = try #require(CLI.json(lines[1]))
        for key in ["position", "stream", "version", "eventId", "type", "recordedAt", "data", "metadata", "hash"] {
            #expect(line[key] != nil, "read prints \(key)")
        }
        #expect(line["eventId"] as? String == "6f9619ff-8b86-d011-b42d-00cf4fc964ff")
        #expect((line["data"] as? [String: Any])?["risk"] as? String == "high", "a case event's binary payload shows as JSON")
        #expect((CLI.json(lines[0])?["data"] as? [String: Any])?["a"] as? Int == 1)
        let all = try await CLI.run(["read-all", "--store", store, "--from", "2", "--limit", "5"])
        #expect(all.out.split(separator: "\n").compactMap { CLI.json(String($0))?["position"] as? Int } == [2, 3])
        let units = try await CLI.run(["read-all", "--store", store, "--category", "unit"])
        #expect(units.out.split(separator: "\n").count == 1)
    }

    @Test("bad input: one clear line on stderr, non-zero exit, nothing written")
    func badInput() async throws {
        let store = CLI.temporary("bad")
        defer { CLI.remove(store) }
        _ = try await CLI.run(["append", "--store", store, "--create", "--stream", "t-1", "--type", "A", "--data", "{}"])
        let cases: [[String]] = [
            ["frobnicate"],
            ["append", "--store", store, "--stream", "t-1", "--type", "A", "--data", "{not json"],
            ["append", "--store", store, "--stream", "t-1", "--type", "A", "--data", "{}", "--expected-version", "no-stream"],
            ["append", "--store", store, "--stream", "t-1", "--type", "A", "--data", "{}", "--expected-version", "seven"],
            ["append", "--store", store, "--stream", "", "--type", "A", "--data", "{}"],
            ["append", "--store", store, "--stream", "t-1", "--type", "A", "--data", "{}", "--event-id", "nope"],
            ["append", "--store", store, "--stream", "t-1", "--type", "TicketAssessed", "--data", #"{"ticketID":1}"#],
            ["read", "--store", store + "-missing", "--stream", "t-1"],
            ["verify", "--store", store, "--key", "/nonexistent/key.pub"],
            ["report", "--store", store, "--as-of-time", "yesterday"],
        ]
        for args in cases {
            let r = try await CLI.run(args)
            #expect(r.status != 0, "\(args) should fail")
            let errLines = r.err.split(separator: "\n")
            #expect(errLines.count == 1, "\(args): one line on stderr, got \(r.err)")
            #expect(r.err.hasPrefix("error: "), "\(args): \(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: store + "-missing"), "reading a missing store does not create it")
        let all = try await CLI.run(["read-all", "--store", store])
        #expect(all.out.split(separator: "\n").count == 1, "only the first append was written")
    }

    @Test("tail follows live appends, by category, from another process")
    func tail() async throws {
        let store = CLI.temporary("tail")
        defer { CLI.remove(store) }
        _ = try await CLI.run(["append", "--store", store, "--create", "--stream", "ticket-1", "--type", "A", "--data", "{}"])
        let process = Process()
        process.executableURL = CLI.executable
        // From position 2 on, so that how long the tool takes to start does not matter.
        process.arguments = ["tail", "--store", store, "--category", "ticket", "--from", "2"]
        let out = Pipe()
        process.standardOutput = out
        let text = SharedText()
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        func lines(_ count: Int) async throws -> [[String: Any]] {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let got = text.withLock { $0 }.split(separator: "\n").compactMap { CLI.json(String($0)) }
                if got.count >= count { return got }
                try await Task.sleep(for: .milliseconds(20))
            }
            return text.withLock { $0 }.split(separator: "\n").compactMap { CLI.json(String($0)) }
        }
        _ = try await CLI.run(["append", "--store", store, "--stream", "unit-1", "--type", "B", "--data", "{}"])
        _ = try await CLI.run(["append", "--store", store, "--stream", "ticket-2", "--type", "C", "--data", #"{"x":2}"#])
        let first = try await lines(1)
        try #require(first.count == 1, "tail printed: \(text.withLock { $0 })")
        #expect(first[0]["position"] as? Int == 3 && first[0]["type"] as? String == "C")
        // tail is running and has printed: this append can only reach it live.
        _ = try await CLI.run(["append", "--store", store, "--stream", "ticket-3", "--type", "D", "--data", "{}"])
        let second = try await lines(2)
        try #require(second.count == 2, "tail printed: \(text.withLock { $0 })")
        #expect(second[1]["position"] as? Int == 4 && second[1]["type"] as? String == "D")
        process.terminate()
        process.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
    }
}

/// Text appended on a pipe's handler thread and read by a test. Invariant
/// that makes it Sendable: `value` is read and written only while `lock`
/// (an NSLock, a pthread mutex ThreadSanitizer sees; `Synchronization.Mutex`
/// it does not see on Linux) is held.
final class SharedText: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""

    func withLock<T>(_ body: (inout String) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
