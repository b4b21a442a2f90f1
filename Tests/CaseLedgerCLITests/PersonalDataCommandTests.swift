import Foundation
import Testing

@Suite("caseledger keys, generate --master-key, forget", .serialized)
struct PersonalDataCommandTests {
    static func files(under folder: String, holding text: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder).filter { file in
            FileManager.default.contents(atPath: folder + "/" + file).map { $0.range(of: Data(text.utf8)) != nil } ?? false
        }
    }

    @Test("a sealed year reports the same figures; forget erases a citizen, once; verify passes; keys move with their export")
    func forgetFromTheCommandLine() async throws {
        let master = CLI.temporary("master") + ".key"
        let made = try await CLI.run(["keys", "master", "--out", master])
        #expect(made.status == 0 && made.out.contains(master), "\(made.err)")
        #expect(try await CLI.run(["keys", "master", "--out", master]).status != 0, "a master key file is never replaced")

        let sealed = CLI.temporary("sealed"), clear = CLI.temporary("clear")
        for (store, extra) in [(sealed, ["--master-key", master]), (clear, [])] {
            let r = try await CLI.run(["generate", "--store", store, "--create", "--scale", "0.01", "--seed", "4"] + extra)
            #expect(r.status == 0, "\(r.err)")
        }
        // The summaries are in the clear store's files and in no file of the sealed one.
        let first = try await CLI.run(["read", "--store", clear, "--stream", "ticket-2025-000001"])
        let filed = try #require(first.out.split(separator: "\n").first.flatMap { CLI.json(String($0)) })
        let data = try #require(filed["data"] as? [String: Any])
        let summary = try #require(data["summary"] as? String), filer = try #require(data["filerID"] as? String)
        #expect(!(try Self.files(under: clear, holding: summary)).isEmpty)
        #expect(try Self.files(under: sealed, holding: summary).isEmpty, "no file of the sealed store holds a summary")
        let read = try await CLI.run(["read", "--store", sealed, "--stream", "ticket-2025-000001"])
        #expect(read.out.contains("\"sealed\"") && !read.out.contains(summary), "reads show the sealed form: \(read.out.prefix(300))")

        // With the master key a read opens them, and only reads the key store.
        let keyFile = sealed + "/keys/data.mdb"
        let keyBytes = FileManager.default.contents(atPath: keyFile)
        let opened = try await CLI.run(["read", "--store", sealed, "--stream", "ticket-2025-000001", "--master-key", master])
        #expect(opened.status == 0 && opened.out.contains(summary) && !opened.out.contains("\"sealed\""), "\(opened.out.prefix(300))\(opened.err)")
        #expect(FileManager.default.contents(atPath: keyFile) == keyBytes, "reading writes nothing to the key store")
        let noKeys = try await CLI.run(["read", "--store", clear, "--stream", "ticket-2025-000001", "--master-key", master])
        #expect(noKeys.status == 0 && noKeys.out.contains(summary), "a store in clear reads the same with a master key")
        #expect(!FileManager.default.fileExists(atPath: clear + "/keys"), "and no key store is made for it")
        let wrong = CLI.temporary("wrong") + ".key"
        #expect(try await CLI.run(["keys", "master", "--out", wrong]).status == 0)
        let wrongRead = try await CLI.run(["read", "--store", sealed, "--stream", "ticket-2025-000001", "--master-key", wrong])
        #expect(wrongRead.status == 1 && wrongRead.out.isEmpty && wrongRead.err.split(separator: "\n").count == 1
                && wrongRead.err.contains("master key"), "a wrong master key: one line, nothing printed: \(wrongRead.err)")
        let report = { (store: String) async throws -> String in
            let r = try await CLI.run(["report", "--store", store, "--json"])
            #expect(r.status == 0, "\(r.err)")
            return r.out
        }
        let figures = try await report(clear)
        #expect(try await report(sealed) == figures, "sealing changes no figure and no read-model digest")

        // Bad input: one line, nothing written.
        let noReason = try await CLI.run(["forget", "--store", sealed, "--subject", filer, "--reason", " "])
        #expect(noReason.status == 1 && noReason.err.split(separator: "\n").count == 1, "\(noReason.err)")
        let keysBefore = CLI.temporary("keys-before")
        #expect(try await CLI.run(["keys", "export", "--store", sealed, "--to", keysBefore]).status == 0)

        let forgot = try await CLI.run(["forget", "--store", sealed, "--subject", filer, "--reason", "asked to be forgotten"])
        #expect(forgot.status == 0 && forgot.out.contains("forgot \(filer)") && forgot.out.contains("key destroyed"), "\(forgot.out)\(forgot.err)")
        let again = try await CLI.run(["forget", "--store", sealed, "--subject", filer, "--reason", "again"])
        #expect(again.status == 0 && again.out.contains("forgotten before") && again.out.contains("nothing changed"), "\(again.out)")
        let verify = try await CLI.run(["verify", "--store", sealed])
        #expect(verify.status == 0, "verify passes after forgetting: \(verify.out)\(verify.err)")
        let erased = try await CLI.run(["read", "--store", sealed, "--stream", "ticket-2025-000001", "--master-key", master])
        #expect(erased.status == 0 && erased.out.contains("\"summary\":{\"erased\":true}") && !erased.out.contains(summary),
                "after forgetting, a read with the master key shows the summary erased: \(erased.out.prefix(300))")
        let sealedLines = try await CLI.run(["read-all", "--store", sealed, "--master-key", master])
        #expect(sealedLines.status == 0 && sealedLines.out.contains("\"erased\":true") && !sealedLines.out.contains("\"sealed\""), "read-all opens too")
        #expect(try await report(sealed).contains("\"tickets\""))
        let after = try #require(CLI.json(try await report(sealed))), before = try #require(CLI.json(figures))
        #expect((after["tickets"] as? NSDictionary) == (before["tickets"] as? NSDictionary), "the ticket figures do not move")

        // The key store's export, and its import into a moved store.
        let keys = CLI.temporary("keys"), export = CLI.temporary("export") + ".ndjson", moved = CLI.temporary("moved")
        let exported = try await CLI.run(["keys", "export", "--store", sealed, "--to", keys])
        #expect(exported.status == 0, "\(exported.err)")
        let keyLines = try String(contentsOfFile: keys, encoding: .utf8).split(separator: "\n")
        let beforeLines = try String(contentsOfFile: keysBefore, encoding: .utf8).split(separator: "\n")
        #expect(keyLines.count == beforeLines.count - 1, "one key fewer after forgetting")
        #expect(!keyLines.contains { $0.contains("\"\(filer)\"") }, "the forgotten citizen's key is not exported")
        #expect(try await CLI.run(["export", "--store", sealed, "--to", export]).status == 0)
        #expect(try await CLI.run(["import", "--from", export, "--store", moved, "--create"]).status == 0)
        let refused = try await CLI.run(["keys", "import", "--from", keys, "--store", moved, "--master-key", wrong])
        #expect(refused.status == 1 && refused.err.contains("master key"), "\(refused.err)")
        let added = try await CLI.run(["keys", "import", "--from", keys, "--store", moved, "--master-key", master])
        #expect(added.status == 0 && added.out.contains("\(keyLines.count - 1) keys added"), "\(added.out)\(added.err)")
        let twice = try await CLI.run(["keys", "import", "--from", keys, "--store", moved, "--master-key", master])
        #expect(twice.out.contains("0 keys added"), "\(twice.out)")
        #expect(try await report(moved) == (try await report(sealed)), "the moved store reports the same")
    }
}
