import CaseLedger
import CaseLedgerPostgres
import Foundation

/// The PostgreSQL rows: the library against psql moving the same rows.
enum PostgresCases {
    static func psql(_ url: String, _ arguments: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-q", "-v", "ON_ERROR_STOP=1"] + arguments
        process.standardOutput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("psql \(arguments.joined(separator: " ")) failed") }
        return (ContinuousClock.now - started) / .seconds(1)
    }

    static func schemaName() -> String { "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12) }

    static func store(_ url: String, _ schema: String) async throws -> PostgresEventStore {
        try await PostgresEventStore.connect(try PostgresStoreConfiguration(url: url + "?schema=\(schema)"))
    }

    static func append(_ store: PostgresEventStore, events: Int, batch: Int) async throws -> Double {
        var versions = [UInt64](repeating: 0, count: 1_000)
        var batches: [[StreamAppend]] = []
        var position = 0
        while position < events {
            var parts: [StreamAppend] = []
            for _ in 0..<min(batch, events - position) {
                position += 1
                let s = position % 1_000
                parts.append(StreamAppend(stream: Cases.streamName(s), expectedVersion: .exact(versions[s]), events: [Cases.event(position)]))
                versions[s] += 1
            }
            batches.append(parts)
        }
        return try await Measure.seconds { for parts in batches { _ = try await store.append(parts) } }
    }

    static func run(url: String, rounds: Int, log: (String) -> Void) async throws -> [BenchResult] {
        var bulkLib: [Double] = [], bulkRef: [Double] = [], durLib: [Double] = [], durRef: [Double] = [], scanLib: [Double] = [], scanRef: [Double] = []
        let events = 50_000
        for round in 0..<rounds {
            // Bulk append, then COPY of the same rows into the same table elsewhere.
            let a = schemaName()
            let store = try await store(url, a)
            bulkLib.append(Double(events) / (try await append(store, events: events, batch: 5_000)))
            let dump = Measure.fresh("pg-dump") + ".tsv"
            _ = try psql(url, ["-c", "\\copy (SELECT position, stream, version, event_id, type, category, record FROM \(a).events ORDER BY position) TO '\(dump)'"])
            let b = schemaName()
            await (try await Self.store(url, b)).close()
            bulkRef.append(Double(events) / (try psql(url, ["-c", "\\copy \(b).events FROM '\(dump)'"])))
            // Read-all scan: the library's pages against COPY of the records out.
            scanLib.append(Double(events) / (try await Measure.seconds {
                var n = 0
                for try await page in store.allEvents(pageSize: 2_000) { n += page.count }
                guard n == events else { throw BenchError("scan read \(n) events") }
            }))
            scanRef.append(Double(events) / (try psql(url, ["-c", "\\copy (SELECT record FROM \(a).events ORDER BY position) TO '/dev/null'"])))
            await store.close()
            // Durable batches of 100: the library against psql committing the same rows 100 at a time.
            let c = schemaName()
            let durable = try await Self.store(url, c)
            let n = 10_000
            durLib.append(Double(n) / (try await append(durable, events: n, batch: 100)))
            await durable.close()
            let d = schemaName()
            await (try await Self.store(url, d)).close()
            let lines = try String(contentsOfFile: dump, encoding: .utf8).split(separator: "\n").prefix(n)
            var script = ""
            var i = 0
            while i < lines.count {
                let chunk = Measure.fresh("pg-chunk") + ".tsv"
                try (lines[i..<min(i + 100, lines.count)].joined(separator: "\n") + "\n").write(toFile: chunk, atomically: false, encoding: .utf8)
                script += "BEGIN;\n\\copy \(d).events FROM '\(chunk)'\nCOMMIT;\n"
                i += 100
            }
            let scriptFile = Measure.fresh("pg-script") + ".sql"
            try script.write(toFile: scriptFile, atomically: false, encoding: .utf8)
            durRef.append(Double(n) / (try psql(url, ["-f", scriptFile])))
            log("postgres round \(round + 1): bulk \(Int(bulkLib.last!)) vs COPY \(Int(bulkRef.last!)); durable 100 \(Int(durLib.last!)) vs psql \(Int(durRef.last!)); scan \(Int(scanLib.last!)) vs COPY \(Int(scanRef.last!)) ev/s")
        }
        func row(_ name: String, _ l: [Double], _ r: [Double], _ target: Double, _ note: String) -> BenchResult {
            let lm = Measure.median(l), rm = Measure.median(r)
            return BenchResult(case: name, library: lm, reference: rm, ratio: lm / rm, target: target, lowerIsBetter: nil, unit: "events/s", note: note)
        }
        return [
            row("postgres bulk append", bulkLib, bulkRef, 0.5, "50,000 events in appends of 5,000 vs psql COPY of the same rows into the same table"),
            row("postgres durable batch 100", durLib, durRef, 0.5, "10,000 events, one transaction per 100, vs psql COPY of the same rows 100 per transaction"),
            row("postgres read-all scan", scanLib, scanRef, 0.5, "read-all in pages of 2,000 vs psql COPY of the records out"),
        ]
    }
}
