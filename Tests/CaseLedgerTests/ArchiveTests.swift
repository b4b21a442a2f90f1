import CaseLedger
import CaseLedgerTestKit
import Foundation
import Testing

/// Export and import: a file lands whole or not at all.
@Suite("Export and import, all or nothing")
struct ArchiveTests {
    static let registry = TestDomain.registry

    /// A store holding `count` events of the test domain, and its export's lines.
    static func exported(count: Int) async throws -> (InMemoryEventStore, [String]) {
        let store = InMemoryEventStore()
        var batch: [StreamAppend] = []
        for (stream, event) in try TestDomain.workload(count: count) {
            batch.append(StreamAppend(stream: stream, events: [event]))
            if batch.count == 500 {
                _ = try await store.append(batch)
                batch = []
            }
        }
        if !batch.isEmpty { _ = try await store.append(batch) }
        let key = AuditSigningKey()
        _ = try await key.checkpoint(store)
        let file = Self.file("export")
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try await LogExporter(store: store, registry: registry).export(to: file)
        return (store, try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init))
    }

    static func file(_ label: String) -> String {
        NSTemporaryDirectory() + "caseledger-archive-\(label)-\(UUID().uuidString).ndjson"
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require((try JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])
    }

    static func text(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    /// Recomputes every event's hash from its fields and the trailer from the
    /// last one: an edited file whose chain is valid again.
    static func rechained(_ lines: [String]) throws -> [String] {
        var previous = AuditHash.genesis
        var out: [String] = []
        var events: UInt64 = 0
        for line in lines {
            var o = try object(line)
            if o["trailer"] != nil {
                o["trailer"] = ["events": events, "format": ArchiveFormat.version, "headHash": previous.hex, "headPosition": events]
                out.append(try text(o))
                continue
            }
            guard o["checkpoint"] == nil else { continue }
            let m = o["metadata"] as? [String: Any] ?? [:]
            let recordedText = try #require(o["recordedAt"] as? String)
            let recordedAt = try #require(Timestamp(iso8601: recordedText))
            let idText = try #require(o["eventId"] as? String)
            let payloadText = try #require(o["payload"] as? String)
            let event = EventData(
                id: try #require(UUID(uuidString: idText)), type: try #require(o["type"] as? String),
                schemaVersion: UInt16(try #require(o["schemaVersion"] as? Int)),
                payload: Array(try #require(Data(base64Encoded: payloadText))),
                metadata: EventMetadata(recordedAt: recordedAt, actor: m["actor"] as? String, properties: m["properties"] as? [String: String] ?? [:]))
            events += 1
            let stored = RecordFormat.storedValue(position: events, stream: try #require(o["stream"] as? String),
                                                  streamVersion: UInt64(try #require(o["version"] as? Int)), event: event,
                                                  recordedAt: recordedAt, previous: previous)
            previous = try #require(AuditHash(bytes: Array(stored.suffix(32))))
            o["hash"] = previous.hex
            o["position"] = events
            out.append(try text(o))
        }
        return out
    }

    /// Imports `lines` into `store`; returns the error, or nil.
    static func importing(_ lines: [String], into store: any ReadModelStore, allowMissingTrailer: Bool = false,
                          transactionSize: Int? = nil) async -> EventStoreError? {
        let file = Self.file("import")
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
            _ = try await LogImporter(store: store, registry: registry, batchSize: 1_000)
                .importFile(file, allowMissingTrailer: allowMissingTrailer, transactionSize: transactionSize)
            return nil
        } catch let error as EventStoreError {
            return error
        } catch {
            return EventStoreError.storage("\(error)")
        }
    }

    @Test("a clean export imports to the same head hash, with its checkpoints; importing again adds nothing")
    func roundTrip() async throws {
        let (source, lines) = try await Self.exported(count: 3_000)
        #expect(lines.last?.hasPrefix(#"{"trailer""#) == true)
        #expect(lines.filter { $0.hasPrefix(#"{"checkpoint""#) }.count == 1)
        let target = InMemoryEventStore()
        #expect(await Self.importing(lines, into: target) == nil)
        #expect(try await target.head() == source.head())
        #expect(try await SignedCheckpoint.stored(in: target) == SignedCheckpoint.stored(in: source))
        #expect(await Self.importing(lines, into: target) == nil)
        #expect(try await target.headPosition() == 3_000)
        #expect(try await SignedCheckpoint.stored(in: target).count == 1, "a checkpoint imported twice is kept once")
    }

    @Test("in transactions of a given size: the same head; a bad line stops it after the transactions before it, at the line named")
    func chunked() async throws {
        let (source, lines) = try await Self.exported(count: 3_000)
        let whole = InMemoryEventStore()
        #expect(await Self.importing(lines, into: whole, transactionSize: 700) == nil)
        #expect(try await whole.head() == source.head())
        #expect(try await LogVerifier(store: whole).verify().isValid)

        var edited = lines
        edited[2_200] = edited[2_200].replacingOccurrences(of: #""version":"#, with: #""version":9"#)
        let part = InMemoryEventStore()
        let error = await Self.importing(edited, into: part, transactionSize: 700)
        #expect(error?.message.contains("line 2201") == true, "\(String(describing: error))")
        // Transactions of 700 events (batches of 1,000 lines): what came before the bad batch's transaction is in.
        let kept = try await part.headPosition()
        #expect(kept < 2_200 && kept % 1_000 == 0, "\(kept)")
        #expect(try await LogVerifier(store: part).verify().isValid)
    }

    @Test("a file with a valid chain that the store refuses writes nothing: version gap, reused id, oversized payload, bad case event, edited data")
    func refusedWhole() async throws {
        let (_, lines) = try await Self.exported(count: 10_000)
        let at = 7_000
        func edit(_ change: (inout [String: Any]) throws -> Void) throws -> [String] {
            var edited = lines
            var o = try Self.object(edited[at])
            try change(&o)
            edited[at] = try Self.text(o)
            return try Self.rechained(edited)
        }
        let cases: [(String, [String], String)] = [
            ("version gap", try edit { $0["version"] = ($0["version"] as? Int ?? 0) + 5 }, "expected"),
            ("reused id", try edit { $0["eventId"] = try Self.object(lines[10])["eventId"] }, "event id"),
            ("oversized payload", try edit {
                $0["type"] = "Note"
                let big = Data("\"\(String(repeating: "x", count: 40_000))\"".utf8)
                $0["payload"] = big.base64EncodedString()
                $0["data"] = String(repeating: "x", count: 40_000)
            }, "payload"),
            ("undecodable case event", try edit {
                $0["payload"] = Data([0xFF, 0xFE, 0x01]).base64EncodedString()
                $0["data"] = ["base64": "//4B"]
            }, "does not decode"),
        ]
        for (what, file, said) in cases {
            for prefix in [0, 5_000] {
                let store = InMemoryEventStore(options: EventStoreOptions(maximumPayloadSize: 32_000))
                if prefix > 0 {
                    #expect(await Self.importing(Array(lines.prefix(prefix)), into: store, allowMissingTrailer: true) == nil)
                }
                let error = await Self.importing(file, into: store)
                #expect(error != nil, "\(what) was imported")
                #expect(error?.message.contains(said) == true, "\(what): \(error?.message ?? "-")")
                #expect(try await store.headPosition() == UInt64(prefix), "\(what): nothing written beyond the \(prefix) events held before")
            }
        }
        // Readable data edited, payload left alone (the hash still holds).
        var edited = lines
        var o = try Self.object(edited[at])
        var data = try #require(o["data"] as? [String: Any])
        data["delta"] = (data["delta"] as? Int ?? 0) + 99
        o["data"] = data
        edited[at] = try Self.text(o)
        #expect(edited[at] != lines[at])
        let store = InMemoryEventStore()
        let error = await Self.importing(edited, into: store)
        #expect(error?.message.contains("data disagrees") == true, "\(error?.message ?? "-")")
        #expect(try await store.headPosition() == 0)
    }

    @Test("a file cut at a line boundary, or with a trailer that does not add up, is refused unless the caller allows it")
    func trailer() async throws {
        let (_, lines) = try await Self.exported(count: 2_000)
        let cut = Array(lines.prefix(1_500))
        let store = InMemoryEventStore()
        let error = await Self.importing(cut, into: store)
        #expect(error?.message.contains("no trailer") == true)
        #expect(try await store.headPosition() == 0)
        #expect(await Self.importing(cut, into: store, allowMissingTrailer: true) == nil)
        #expect(try await store.headPosition() == 1_500)
        var lying = lines
        lying[lying.count - 1] = lying[lying.count - 1].replacingOccurrences(of: #""events":2000"#, with: #""events":1999"#)
        let other = InMemoryEventStore()
        #expect(await Self.importing(lying, into: other) != nil)
        #expect(try await other.headPosition() == 0)
    }
}
