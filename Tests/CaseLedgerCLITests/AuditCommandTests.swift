import Foundation
import Testing

@Suite("caseledger generate, report, rebuild, verify, checkpoints, export and import", .serialized)
struct AuditCommandTests {
    static func generated(_ label: String, seed: Int = 5) async throws -> String {
        let store = CLI.temporary(label)
        let r = try await CLI.run(["generate", "--store", store, "--create", "--scale", "0.01", "--seed", String(seed)])
        #expect(r.status == 0, "\(r.err)")
        return store
    }

    static func stats(_ store: String) async throws -> [String: Any] {
        let r = try await CLI.run(["stats", "--store", store, "--json"])
        return CLI.json(r.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? [:]
    }

    @Test("generate, stats, report (now and as of), rebuild with a manifest")
    func reportAndRebuild() async throws {
        let store = try await Self.generated("report")
        let stats = try await Self.stats(store)
        for key in ["events", "streams", "categories", "bytesOnDisk", "headPosition", "headHash"] { #expect(stats[key] != nil, "stats has \(key)") }
        #expect(stats["categories"] as? Int == 4)
        let head = try #require(stats["headPosition"] as? Int)
        #expect(head > 5_000)
        #expect(try await CLI.run(["generate", "--store", store, "--scale", "0.01"]).status != 0, "generate refuses a store that is not empty")
        let missing = try await CLI.run(["generate", "--store", store + "-typo", "--scale", "0.01"])
        #expect(missing.status != 0 && missing.err.contains("no store at"), "a typo in --store creates nothing: \(missing.err)")
        #expect(!FileManager.default.fileExists(atPath: store + "-typo"))

        let report = try await CLI.run(["report", "--store", store, "--json"])
        #expect(report.status == 0, "\(report.err)")
        let json = try #require(CLI.json(report.out))
        #expect(json["position"] as? Int == head)
        let tickets = try #require(json["tickets"] as? [String: Any])
        for key in ["completionRate", "disputeResolutionRate", "settledByLevel", "open"] { #expect(tickets[key] != nil) }
        let evaluations = try #require(json["evaluations"] as? [String: Any])
        #expect(evaluations["ratings"] as? Int == 7_500)
        for key in ["units", "officers"] { #expect(evaluations[key] != nil) }
        let checkups = try #require(json["checkups"] as? [String: Any])
        for key in ["checkups", "riskPointsFound", "riskPointsRectified"] { #expect(checkups[key] != nil) }
        let enforcement = try #require(json["enforcement"] as? [String: Any])
        #expect(enforcement["cases"] as? Int == 25)
        let byList = try #require(enforcement["byList"] as? [String: Any])
        for key in ["noPenalty", "mitigated", "lighter", "exemptFromCompulsory", "ordinary"] { #expect(byList[key] != nil) }
        #expect(enforcement["threeDocumentsTogetherRate"] != nil)
        let digests = try #require(json["digests"] as? [String: String])
        #expect(digests.count == 4)

        let half = try #require(CLI.json(try await CLI.run(["report", "--store", store, "--json", "--as-of", String(head / 2)]).out))
        #expect(half["position"] as? Int == head / 2)
        #expect((half["evaluations"] as? [String: Any])?["ratings"] as? Int ?? 0 < 7_500)
        let byTime = try await CLI.run(["report", "--store", store, "--json", "--as-of-time", "2025-07-01T00:00:00Z"])
        #expect(byTime.status == 0)
        let text = try await CLI.run(["report", "--store", store])
        #expect(text.out.contains("CITY DASHBOARD"))

        // status reads only: what report folded in memory was not saved.
        func status() async throws -> [String: [String: Any]] {
            let r = try await CLI.run(["status", "--store", store, "--json"])
            #expect(r.status == 0, "\(r.err)")
            let rows = (try? JSONSerialization.jsonObject(with: Data(r.out.utf8))) as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["name"] as? String).map { ($0, row) } })
        }
        let before = try await status()
        #expect(Set(before.keys) == Set(digests.keys))
        for row in before.values {
            #expect(row["head"] as? Int == head && row["savedCheckpoint"] == nil && row["behind"] as? Int == head, "\(row)")
        }

        let manifest = CLI.temporary("manifest.json")
        let rebuild = try await CLI.run(["rebuild", "--store", store, "--manifest", manifest])
        #expect(rebuild.status == 0, "\(rebuild.err)")
        for (name, digest) in digests { #expect(rebuild.out.contains("\(name) \(digest)"), "the rebuild agrees with the live read model \(name)") }
        let m = try #require((try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifest)))) as? [String: Any])
        #expect(m["headPosition"] as? Int == head)
        #expect(m["projections"] as? [String: String] == digests)
        for row in try await status().values {
            #expect(row["savedCheckpoint"] as? Int == head && row["behind"] as? Int == 0, "after rebuild: \(row)")
        }
        let table = try await CLI.run(["status", "--store", store])
        #expect(table.out.contains("ticket-board") && table.out.contains("saved at"), "\(table.out)")

        // rows: the saved rows of a table, by range and by key, as NDJSON.
        let first = try await CLI.run(["rows", "--store", store, "ticket-board", "tickets", "--limit", "3"])
        #expect(first.status == 0, "\(first.err)")
        let lines = first.out.split(separator: "\n").compactMap { CLI.json(String($0)) }
        let keys = lines.compactMap { $0["key"] as? String }
        #expect(keys.count == 3 && keys == keys.sorted(), "\(first.out)")
        #expect((lines.first?["row"] as? [String: Any])?["step"] != nil, "a ticket's row: \(first.out)")
        let one = try await CLI.run(["rows", "--store", store, "ticket-board", "tickets", "--key", keys[0]])
        #expect(one.out.split(separator: "\n").count == 1 && one.out.contains(keys[0]))
        let officers = try await CLI.run(["rows", "--store", store, "evaluation-scores", "officers", "--from", "officer-0001", "--through", "officer-0099"])
        #expect(officers.status == 0 && officers.out.split(separator: "\n").count > 1, "\(officers.err)")
        let assignee = try #require((lines.first?["row"] as? [String: Any])?["assigneeID"] as? String)
        let assigned = try await CLI.run(["rows", "--store", store, "ticket-board", "tickets", "--where", "assignee=\(assignee)"])
        let assignedRows = assigned.out.split(separator: "\n").compactMap { CLI.json(String($0)) }
        #expect(assigned.status == 0 && !assignedRows.isEmpty && assignedRows.allSatisfy { ($0["row"] as? [String: Any])?["assigneeID"] as? String == assignee },
                "\(assigned.err)")
        #expect(try await CLI.run(["rows", "--store", store, "ticket-board", "tickets", "--where", "nope=1"]).status != 0)
        // verify --read-models: the saved read models match a replay of the
        // log; a row changed behind the store's back (with LMDB's own tools) does not.
        let checked = try await CLI.run(["verify", "--store", store, "--read-models"])
        #expect(checked.status == 0 && checked.out.contains("read model ticket-board: saved at \(head), matches the log"), "\(checked.out) \(checked.err)")
        let tampered = CLI.temporary("rows-tampered")
        let dump = CLI.temporary("rows.dump")
        #expect(try await CLI.shell("cp -r '\(store)' '\(tampered)' && mdb_dump -s rows '\(tampered)' > '\(dump)'").status == 0)
        var dumpLines = try String(contentsOfFile: dump, encoding: .utf8).components(separatedBy: "\n")
        // The value of the first ticket row (keys are slot, 00, table, 00, key; in hex).
        let ticketKey = "ticket-board\u{0}tickets\u{0}".utf8.map { String(format: "%02x", $0) }.joined()
        let firstValue = try #require(dumpLines.firstIndex { $0.hasPrefix(" " + ticketKey) }) + 1
        var value = Array(dumpLines[firstValue])
        value[value.count - 1] = value[value.count - 1] == "0" ? "1" : "0"
        dumpLines[firstValue] = String(value)
        try dumpLines.joined(separator: "\n").write(toFile: dump, atomically: true, encoding: .utf8)
        #expect(try await CLI.shell("mdb_load -s rows -f '\(dump)' '\(tampered)'").status == 0)
        let caught = try await CLI.run(["verify", "--store", tampered, "--read-models"])
        #expect(caught.status == 1 && caught.out.contains("does not match the log"), "\(caught.out) \(caught.err)")
        #expect(try await CLI.run(["verify", "--store", tampered]).status == 0, "the log itself still verifies")
        CLI.remove(tampered)
        CLI.remove(dump)
        let unknown = try await CLI.run(["rows", "--store", store, "ticket-board", "nope"])
        #expect(unknown.status != 0 && unknown.err.split(separator: "\n").count == 1 && unknown.err.contains("tickets"), "\(unknown.err)")
        let manifest2 = CLI.temporary("manifest2.json")
        _ = try await CLI.run(["rebuild", "--store", store, "--projection", "ticket-board", "--manifest", manifest2])
        #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifest2)))) as? [String: Any] != nil)
        #expect(try await CLI.run(["rebuild", "--store", store, "--projection", "nope"]).status != 0)
    }

    @Test("verify: a byte flipped in a stored event is found and named")
    func flippedByte() async throws {
        let store = try await Self.generated("flip")
        #expect(try await CLI.run(["verify", "--store", store]).status == 0)
        let copy = CLI.temporary("flip-copy")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb"))
        let needle = Data("via orderPlatform".utf8)
        let range = try #require(bytes.range(of: needle))
        bytes[range.lowerBound + 4] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: copy + "/data.mdb"))
        let r = try await CLI.run(["verify", "--store", copy])
        #expect(r.status == 1)
        #expect(r.out.contains("verification failed at position "), "\(r.out) \(r.err)")
    }

    @Test("signed checkpoints detect a log cut short or rewritten")
    func checkpoints() async throws {
        let store = try await Self.generated("sign")
        let key = CLI.temporary("key")
        #expect(try await CLI.run(["keygen", "--out", key]).status == 0)
        #expect(try await CLI.run(["keygen", "--out", key]).status != 0, "keygen refuses to overwrite")
        let saved = CLI.temporary("checkpoint.json")
        let cp = try await CLI.run(["checkpoint", "--store", store, "--key", key, "--out", saved])
        #expect(cp.status == 0, "\(cp.err)")
        #expect(CLI.json(cp.out)?["signature"] != nil)
        let ok = try await CLI.run(["verify", "--store", store, "--key", key + ".pub"])
        #expect(ok.status == 0)
        #expect(ok.out.contains("1 signed checkpoints verified"))
        #expect(try await CLI.run(["checkpoint", "--store", store, "--key", key + ".pub"]).status != 0, "a public key cannot sign")

        // Cut short: a store holding only the first half of the log.
        let exported = CLI.temporary("export.ndjson")
        #expect(try await CLI.run(["export", "--store", store, "--to", exported]).status == 0)
        let lines = try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n")
        let halfFile = CLI.temporary("half.ndjson")
        try (lines.prefix(lines.count / 2).joined(separator: "\n") + "\n").write(toFile: halfFile, atomically: false, encoding: .utf8)
        let cut = CLI.temporary("cut")
        let noTrailer = try await CLI.run(["import", "--store", cut, "--create", "--from", halfFile])
        #expect(noTrailer.status != 0 && noTrailer.err.contains("no trailer"), "a file cut at a line boundary is refused: \(noTrailer.err)")
        #expect(!FileManager.default.fileExists(atPath: cut + "/data.mdb"), "a refused import leaves no store behind")
        #expect(try await CLI.run(["import", "--store", cut, "--create", "--from", halfFile, "--allow-missing-trailer"]).status == 0)
        #expect(try await CLI.run(["verify", "--store", cut]).status == 0, "the shorter chain is intact on its own")
        let r = try await CLI.run(["verify", "--store", cut, "--key", key + ".pub", "--checkpoint", saved])
        #expect(r.status == 1)
        #expect(r.out.contains("cut short"), "\(r.out)")

        // Rewritten: another history of the same length.
        let other = try await Self.generated("other", seed: 6)
        let rewritten = try await CLI.run(["verify", "--store", other, "--key", key + ".pub", "--checkpoint", saved])
        #expect(rewritten.status == 1)
        #expect(rewritten.out.contains("verification failed at position"), "\(rewritten.out)")

        // A checkpoint signed by another key is refused.
        let otherKey = CLI.temporary("key2")
        _ = try await CLI.run(["keygen", "--out", otherKey])
        #expect(try await CLI.run(["verify", "--store", store, "--key", otherKey + ".pub"]).status == 1)
    }

    @Test("export then import gives the same head hash; importing again adds only what is missing; a broken chain writes nothing")
    func exportImport() async throws {
        let store = try await Self.generated("export")
        let head = try await Self.stats(store)["headHash"] as? String
        let file = CLI.temporary("all.ndjson")
        #expect(try await CLI.run(["export", "--store", store, "--to", file]).status == 0)
        let clean = CLI.temporary("clean")
        let imported = try await CLI.run(["import", "--store", clean, "--create", "--from", file, "--relaxed"])
        #expect(imported.status == 0, "\(imported.err)")
        await #expect(try Self.stats(clean)["headHash"] as? String == head)
        let again = try await CLI.run(["import", "--store", clean, "--from", file])
        #expect(again.status == 0)
        #expect(again.out.hasPrefix("imported 0 events"), "\(again.out)")
        await #expect(try Self.stats(clean)["headHash"] as? String == head)

        // A partial import, then the whole file.
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        let part = CLI.temporary("part.ndjson")
        try (lines.prefix(1_000).joined(separator: "\n") + "\n").write(toFile: part, atomically: false, encoding: .utf8)
        let partial = CLI.temporary("partial")
        #expect(try await CLI.run(["import", "--store", partial, "--create", "--from", part, "--allow-missing-trailer"]).status == 0)
        #expect(try await CLI.run(["import", "--store", partial, "--from", file]).status == 0)
        await #expect(try Self.stats(partial)["headHash"] as? String == head)

        // A broken chain: one payload changed in the middle.
        var broken = lines.map(String.init)
        let i = broken.count / 2
        broken[i] = broken[i].replacingOccurrences(of: "\"version\":", with: "\"version\":1") 
        let brokenFile = CLI.temporary("broken.ndjson")
        try (broken.joined(separator: "\n") + "\n").write(toFile: brokenFile, atomically: false, encoding: .utf8)
        let fresh = CLI.temporary("fresh")
        let refused = try await CLI.run(["import", "--store", fresh, "--create", "--from", brokenFile])
        #expect(refused.status != 0)
        #expect(refused.err.contains("broken"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: fresh), "nothing was written, not even an empty store")
        let parent = URL(fileURLWithPath: fresh).deletingLastPathComponent().path
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains(".importing-") }
        #expect(leftovers.isEmpty, "the store built beside its place is removed: \(leftovers)")
        #expect(try await CLI.run(["import", "--store", clean, "--from", brokenFile]).status != 0)
        await #expect(try Self.stats(clean)["headHash"] as? String == head, "the existing store is untouched")
    }
}
