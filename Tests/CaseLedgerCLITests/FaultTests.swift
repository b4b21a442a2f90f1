import Foundation
import Testing

/// Damaged stores, reads that must not write, hostile input: one clear line,
/// a non-zero exit, no signal, nothing written — never a figure.
@Suite("caseledger against damaged stores and hostile input", .serialized)
struct FaultTests {
    static let readCommands: [[String]] = [
        ["stats"], ["read-all", "--limit", "5"], ["read", "--stream", "ticket-2025-00001"], ["verify"],
        ["report"], ["report", "--as-of", "100"], ["export", "--to", "/dev/null"], ["status"],
        ["rows", "ticket-board", "tickets", "--limit", "5"],
    ]

    /// A store of about 10,000 events, made once.
    static let store: String = {
        let path = CLI.temporary("faults")
        _ = try? CLI.runBlocking(["generate", "--store", path, "--create", "--scale", "0.01", "--seed", "1"])
        return path
    }()

    static func copy(_ label: String, _ change: (inout Data) throws -> Void) throws -> String {
        let path = CLI.temporary(label)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var data = try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb"))
        try change(&data)
        try data.write(to: URL(fileURLWithPath: path + "/data.mdb"))
        return path
    }

    static func digest(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Runs a command against a damaged store: it must fail with one line on
    /// stderr and an exit status (no signal), and print no figures.
    static func expectRefused(_ args: [String], store: String, _ what: String) async throws {
        let r = try await CLI.run(args + ["--store", store])
        #expect(r.status != 0 && r.status != 3, "\(what): \(args) exited \(r.status)")
        #expect(r.terminatedBySignal == false, "\(what): \(args) died of a signal")
        let errLines = r.err.split(separator: "\n")
        #expect(errLines.count == 1, "\(what): \(args) should say one line, said: \(r.err)")
        #expect(!r.out.contains("CITY DASHBOARD") && !r.out.contains("events        "), "\(what): \(args) printed figures")
    }

    @Test("a truncated, empty, foreign or missing data file is one clear error for every command, and nothing is created")
    func damagedFiles() async throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.store + "/data.mdb"))
        let damaged: [(String, String)] = [
            ("truncated", try Self.copy("truncated") { $0 = $0.prefix($0.count / 2) }),
            ("empty", try Self.copy("empty") { $0 = Data() }),
            ("foreign", try Self.copy("foreign") { data in data = Data((0..<data.count).map { UInt8(truncatingIfNeeded: $0 &* 31) }) }),
        ]
        for (what, path) in damaged {
            for args in Self.readCommands + [["rebuild"], ["append", "--stream", "t-1", "--type", "A", "--data", "{}"]] {
                try await Self.expectRefused(args, store: path, what)
            }
            let r = try await CLI.run(["stats", "--store", path])
            #expect(r.err.contains(path), "the error names the store: \(r.err)")
        }
        #expect(original.count > 0)
        // A missing store is not created by reading or writing without --create.
        let missing = CLI.temporary("missing") + "/nested/store"
        for args in Self.readCommands + [["append", "--stream", "t-1", "--type", "A", "--data", "{}"], ["import", "--from", "/dev/null"],
                                          ["generate", "--scale", "0.01"]] {
            let r = try await CLI.run(args + ["--store", missing])
            #expect(r.status != 0 && r.err.contains("no store at"), "\(args): \(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("damaged pages: LMDB's own checks end in one line and an exit status, never a signal or a figure")
    func damagedPages() async throws {
        // Every page after the meta pages loses its page-type flags.
        let path = try Self.copy("pages") { data in
            let page = 4_096
            var offset = 2 * page
            while offset + 12 <= data.count {
                data[offset + 10] = 0
                data[offset + 11] = 0
                offset += page
            }
        }
        for args in Self.readCommands { try await Self.expectRefused(args, store: path, "damaged pages") }
        // Leaf pages in the middle of the log turned into branch pages: LMDB
        // asserts while walking them; the process says so in one line. The
        // log's leaves are those whose first key is 8 bytes, a position
        // (big-endian, its high half zero).
        let leaves = try Self.copy("leaves") { data in
            let page = 4_096
            var logLeaves: [Int] = []
            for p in 2..<(data.count / page) {
                let base = p * page
                guard data[base + 10] == 0x02, data[base + 12] | data[base + 13] != 0 else { continue }
                let first = base + (Int(data[base + 16]) | Int(data[base + 17]) << 8)
                guard first + 12 <= base + page, data[first + 6] == 8, data[first + 7] == 0,
                      data[(first + 8)..<(first + 12)].allSatisfy({ $0 == 0 }) else { continue }
                logLeaves.append(p)
            }
            #expect(logLeaves.count > 10, "the log's leaf pages are found")
            for p in logLeaves.dropFirst(logLeaves.count / 2).prefix(3) { data[p * page + 10] = 0x01 }
        }
        for args in [["read-all"], ["report"]] {
            try await Self.expectRefused(args, store: leaves, "damaged leaf pages")
            let r = try await CLI.run(args + ["--store", leaves])
            #expect(r.status == 70 && r.err.contains("damaged"), "\(args): \(r.status) \(r.err)")
        }
    }

    @Test("commands that read leave the data file byte for byte unchanged")
    func readsDoNotWrite() async throws {
        let before = try Self.digest(Self.store + "/data.mdb")
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.store).sorted()
        for args in Self.readCommands {
            let r = try await CLI.run(args + ["--store", Self.store])
            #expect(r.status == 0, "\(args): \(r.err)")
        }
        #expect(try Self.digest(Self.store + "/data.mdb") == before, "a read wrote")
        #expect(try FileManager.default.contentsOfDirectory(atPath: Self.store).sorted() == files, "a read created a file")
    }

    @Test("input is what it says: bad text, types and numbers are refused with a reason; big payloads come from a file or stdin")
    func input() async throws {
        let store = CLI.temporary("input")
        defer { CLI.remove(store) }
        #expect(try await CLI.run(["init", "--store", store]).status == 0)
        #expect(try await CLI.run(["init", "--store", store]).status != 0, "init refuses an existing store")
        let refused: [([String], String)] = [
            (["append", "--stream", "t-1", "--type", "   ", "--data", "{}"], "type"),
            (["append", "--stream", "t-1", "--type", "A\nB", "--data", "{}"], "type"),
            (["append", "--stream", "t-1", "--type", " A", "--data", "{}"], "type"),
            (["append", "--stream", "t-1", "--type", "A", "--data", "{}", "--expected-version", "-1"], "negative"),
            (["read-all", "--limit", "-1"], "--limit -1"),
            (["read-all", "--limit", "0"], "--limit 0"),
            (["read-all", "--from", "-3"], "--from -3"),
            (["report", "--as-of", "-5"], "--as-of -5"),
            (["append", "--stream", "t-1", "--type", "A"], "--data"),
        ]
        for (args, said) in refused {
            let r = try await CLI.run(args + ["--store", store])
            #expect(r.status != 0, "\(args)")
            #expect(r.err.split(separator: "\n").count == 1 && r.err.contains(said), "\(args): \(r.err)")
        }
        for scale in ["-1", "nan", "1e9", "inf"] {
            let r = try await CLI.run(["demo", "--scale", scale, "--store", CLI.temporary("demo")])
            #expect(r.status == 1 && !r.terminatedBySignal && r.err.contains("--scale"), "demo --scale \(scale): \(r.err)")
        }
        // Invalid UTF-8 in an argument is refused, not stored as U+FFFD.
        let shell = try await CLI.shell("\(CLI.executable.path) append --store '\(store)' --stream t-1 --type A --data \"\\\"$(printf '\\377')\\\"\"")
        #expect(shell.status != 0 && shell.err.contains("UTF-8"), "\(shell.err)")
        // A payload of 200 KiB from a file and from standard input.
        let big = "{\"text\":\"" + String(repeating: "x", count: 200 << 10) + "\"}"
        let file = CLI.temporary("big.json")
        try big.write(toFile: file, atomically: false, encoding: .utf8)
        #expect(try await CLI.run(["append", "--store", store, "--stream", "t-1", "--type", "A", "--data-file", file]).out == "1\n")
        let piped = try await CLI.shell("\(CLI.executable.path) append --store '\(store)' --stream t-1 --type A --data - < '\(file)'")
        #expect(piped.out == "2\n", "\(piped.err)")
        let read = try await CLI.run(["read", "--store", store, "--stream", "t-1", "--limit", "1"])
        #expect(read.out.count > 200 << 10)
        // An idempotent repeat says so.
        let id = "6f9619ff-8b86-4011-b42d-00cf4fc964ff"
        #expect(try await CLI.run(["append", "--store", store, "--stream", "t-2", "--type", "A", "--data", "{}", "--event-id", id]).out == "3\n")
        let again = try await CLI.run(["append", "--store", store, "--stream", "t-2", "--type", "A", "--data", "{}", "--event-id", id])
        #expect(again.status == 0 && again.out == "3\n" && again.err.contains("already stored"), "\(again.err)")
    }

    @Test("report --as-of-time stands at the last event recorded by then")
    func asOfTime() async throws {
        let head = try #require(CLI.json(try await CLI.run(["stats", "--store", Self.store, "--json"]).out)?["headPosition"] as? Int)
        let r = try await CLI.run(["report", "--store", Self.store, "--json", "--as-of-time", "2025-03-01T00:00:00Z"])
        let position = try #require(CLI.json(r.out)?["position"] as? Int)
        #expect(position > 0 && position < head, "\(position) of \(head)")
        let last = try await CLI.run(["read-all", "--store", Self.store, "--from", String(position), "--limit", "2"])
        let times = last.out.split(separator: "\n").compactMap { CLI.json(String($0))?["recordedAt"] as? String }
        #expect(times.first.map { $0 <= "2025-03-01T00:00:00" } == true, "the event at the replay's position was recorded by then: \(times)")
    }
}
