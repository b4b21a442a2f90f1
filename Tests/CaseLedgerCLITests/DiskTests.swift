import Foundation
import Testing

/// A disk that fills up and media that cannot be written.
@Suite("caseledger on a full disk and on read-only media", .serialized)
struct DiskTests {
    @Test("generate onto a full disk: one line saying so, no crash; the store opens and verifies afterwards")
    func generateOntoFullDisk() async throws {
        let disk = try TemporaryMount(megabytes: 12)
        defer { disk.unmount() }
        let store = disk.path + "/store"
        let r = try await CLI.run(["generate", "--store", store, "--create", "--scale", "0.05", "--seed", "3"])
        #expect(r.status == 1 && !r.terminatedBySignal, "exit \(r.status): \(r.err)")
        let lines = r.err.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(lines.count == 1 && lines[0].contains("no space left"), "\(r.err)")
        try disk.resize(megabytes: 256)
        let verify = try await CLI.run(["verify", "--store", store])
        #expect(verify.status == 0, "the store verifies after the full disk: \(verify.out) \(verify.err)")
        let stats = CLI.json(try await CLI.run(["stats", "--store", store, "--json"]).out)
        #expect((stats?["events"] as? Int ?? 0) >= 0)
        let append = try await CLI.run(["append", "--store", store, "--stream", "t-1", "--type", "A", "--data", "{}"])
        #expect(append.status == 0, "the store takes appends again once there is room: \(append.err)")
    }

    @Test("export onto a full disk: one line saying so, and no half-written file")
    func exportOntoFullDisk() async throws {
        let source = CLI.temporary("export-source")
        defer { CLI.remove(source) }
        #expect(try await CLI.run(["generate", "--store", source, "--create", "--scale", "0.01"]).status == 0)
        let disk = try TemporaryMount(megabytes: 1)
        defer { disk.unmount() }
        let r = try await CLI.run(["export", "--store", source, "--to", disk.path + "/all.ndjson"])
        #expect(r.status == 1 && !r.terminatedBySignal)
        #expect(r.err.split(separator: "\n").filter { $0.hasPrefix("error:") }.first?.contains("no space left") == true, "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path).isEmpty, "no partial export is left")
    }

    @Test("read-only media: every command that reads works; writes say the store is read-only")
    func readOnlyMedia() async throws {
        let source = CLI.temporary("ro-source")
        defer { CLI.remove(source) }
        #expect(try await CLI.run(["generate", "--store", source, "--create", "--scale", "0.01"]).status == 0)
        let disk = try TemporaryMount(megabytes: 64)
        defer { disk.unmount() }
        let store = disk.path + "/store"
        try FileManager.default.copyItem(atPath: source, toPath: store)
        try disk.makeReadOnly()
        for args in [["stats"], ["read-all", "--limit", "3"], ["verify"], ["report"], ["report", "--as-of", "50"], ["export", "--to", "/dev/null"], ["status"], ["rows", "ticket-board", "tickets"]] {
            let r = try await CLI.run(args + ["--store", store])
            #expect(r.status == 0, "\(args) on read-only media: \(r.err)")
        }
        let append = try await CLI.run(["append", "--store", store, "--stream", "t-1", "--type", "A", "--data", "{}"])
        #expect(append.status != 0 && append.err.split(separator: "\n").count == 1, "\(append.err)")
    }
}
