import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import CaseWorkload
import Crypto
import Foundation
import Tracing

// The side-by-side comparison: the library against raw LMDB doing the same
// writes and reads, alternating, several rounds, medians. Prints one table
// and writes bench-results.json.
//
//   SideBySide [--reference PATH] [--out FILE] [--rounds N] [--scale S] [--only CASE] [--city DIR]
//   SideBySide memory PATH          (child mode: prints peak anonymous RSS)

let args = CommandLine.arguments
if args.count == 3 && args[1] == "memory" {
    let (peak, count) = try await Cases.streamingMemory(path: args[2])
    print("\(Int(peak)) \(count)")
    exit(0)
}
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
if let r = option("--reference") { Reference.executable = r }
let out = option("--out") ?? "bench-results.json"
let rounds = Int(option("--rounds") ?? "3") ?? 3
let scale = Double(option("--scale") ?? "1.0") ?? 1.0
var results: [BenchResult] = []
/// `--only NAME` runs one case (bulk, durable, group, rebuild, aggregate, memory, codec, archive, live, tracing, postgres, service, personal;
/// the service case needs `--service PATH` to the CityService executable and wrk).
let only = option("--only")
func wanted(_ name: String) -> Bool { only == nil || only == name }
func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// The library's appends against the reference doing the same writes.
@MainActor func appendCase(_ name: String, label: String, events: Int, batch: Int, durability: LMDBDurability, note: String) async throws {
    var lib: [Double] = [], raw: [Double] = []
    for round in 0..<rounds {
        let p = Measure.fresh(label)
        let (s, size) = try await Cases.append(path: p, events: events, batch: batch, streams: 1_000, durability: durability)
        lib.append(Double(events) / s)
        Measure.remove(p)
        let q = Measure.fresh(label + "-raw")
        let (n, rs) = try Reference.run(["bulk", q, String(events), String(batch), String(size), "1000", durability == .durable ? "sync" : "nosync", "x"])
        raw.append(n / rs)
        Measure.remove(q)
        log("\(name) round \(round + 1): library \(Int(lib.last!)) ev/s, raw \(Int(raw.last!)) ev/s")
    }
    let l = Measure.median(lib), r = Measure.median(raw)
    results.append(BenchResult(case: name, library: l, reference: r, ratio: l / r, target: 0.5, lowerIsBetter: nil, unit: "events/s", note: note))
}

// 1. Bulk import: relaxed, batches of 10,000, every index.
if wanted("bulk") {
    try await appendCase("bulk import", label: "bulk", events: 200_000, batch: 10_000, durability: .relaxed,
                         note: "200,000 events, batches of 10,000 over 1,000 streams, relaxed durability")
}

// 2. Durable batches of 100.
if wanted("durable") {
    try await appendCase("durable batch 100", label: "durable", events: 20_000, batch: 100, durability: .durable,
                         note: "20,000 events, fsync per commit")
}

// 3. Group commit: 64 concurrent durable single-event appenders against one.
if wanted("group") {
    var one: [Double] = [], many: [Double] = []
    for round in 0..<rounds {
        let p = Measure.fresh("gc1")
        one.append(try await Cases.groupCommit(path: p, tasks: 1, each: 1_000))
        Measure.remove(p)
        let q = Measure.fresh("gc64")
        many.append(try await Cases.groupCommit(path: q, tasks: 64, each: 100))
        Measure.remove(q)
        log("group commit round \(round + 1): 1 appender \(Int(one.last!)) ev/s, 64 appenders \(Int(many.last!)) ev/s")
    }
    let l = Measure.median(many), r = Measure.median(one)
    results.append(BenchResult(case: "group commit 64", library: l, reference: r, ratio: l / r, target: 20, lowerIsBetter: nil,
                               unit: "events/s", note: "64 concurrent single-event durable appenders vs one appender"))
}

// 4. Rebuild of every read model over a year of the city vs a raw cursor scan.
/// `--city PATH` keeps the generated year of the city at PATH and reuses it when it is there.
let keptCity = option("--city")
let city = keptCity ?? Measure.fresh("city")
if wanted("rebuild") {
    let store = try LMDBEventStore(path: city, durability: .relaxed)
    if try await store.headPosition() == 0 {
        let seconds = try await Measure.seconds {
            _ = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: 2025)).generate(into: store)
            try await store.sync()
        }
        let generated = try await store.headPosition()
        log("generated the year of the city (scale \(scale)): \(generated) events in \(String(format: "%.1f", seconds))s (\(Int(Double(generated) / seconds)) ev/s)")
    }
    let head = try await store.headPosition()
    await store.close()
    var lib: [Double] = [], raw: [Double] = []
    for round in 0..<rounds {
        let (rate, digests) = try await Cases.rebuild(path: city)
        lib.append(rate)
        if round == 0 { log("read-model digests: " + digests.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(16))" }.joined(separator: " ")) }
        let (n, rs) = try Reference.run(["scan", city])
        raw.append(n / rs)
        log("rebuild round \(round + 1): library \(Int(lib.last!)) ev/s, raw scan \(Int(raw.last!)) ev/s")
    }
    let l = Measure.median(lib), r = Measure.median(raw)
    results.append(BenchResult(case: "rebuild", library: l, reference: r, ratio: l / r, target: 0.2, lowerIsBetter: nil,
                               unit: "events/s", note: "all four read models over \(head) events (scale \(scale)) vs a raw LMDB cursor scan"))
}

// 5. Aggregate load: a ticket of 10 events vs a raw stream read.
if wanted("aggregate") {
    let p = Measure.fresh("aggregate")
    let store = try LMDBEventStore(path: p, durability: .relaxed)
    try await CityWorkload(WorkloadConfiguration(scale: 0.02, seed: 9)).generate(into: store)
    let desk = CaseDesk(store: store)
    let id = "bench-agg"
    try await desk.ticket(id) { try $0.file(id, channel: .oneStopDesk, category: .hardship, filerID: "c", summary: "s", level: .town, centerID: "c") }
    try await desk.ticket(id) { try $0.assess(risk: .low) }
    try await desk.ticket(id) { try $0.assign(to: "c", isCenter: true, level: .town, deadline: Timestamp(microsecondsSince1970: 0)) }
    try await desk.ticket(id) { try $0.take(officerID: "o") }
    for _ in 0..<6 { try await desk.ticket(id) { try $0.handle(.worked, note: "n") } }
    try await store.sync()
    await store.close()
    let stream = try CaseDesk.ticketStream(id)
    var lib: [Double] = [], raw: [Double] = []
    for round in 0..<rounds {
        lib.append(try await Cases.aggregateLoad(path: p, stream: stream, rounds: 20_000))
        let (n, rs) = try Reference.run(["stream", p, stream.value, "200000"])
        raw.append(n / rs)
        log("aggregate load round \(round + 1): library \(Int(lib.last!)) loads/s, raw \(Int(raw.last!)) reads/s")
    }
    let l = Measure.median(lib), r = Measure.median(raw)
    results.append(BenchResult(case: "aggregate load", library: l, reference: r, ratio: l / r, target: 0.5, lowerIsBetter: nil,
                               unit: "loads/s", note: "fold a 10-event ticket stream vs a raw LMDB stream read"))
    Measure.remove(p)
}

// 6. Streaming memory: read-all over 5 million events vs 1 million, trivial fold.
if wanted("memory") {
    func build(_ n: Int) async throws -> String {
        let p = Measure.fresh("mem\(n)")
        _ = try await Cases.append(path: p, events: n, batch: 10_000, streams: 1_000, durability: .relaxed)
        return p
    }
    func peak(_ path: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["memory", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Double(text.split(separator: " ").first ?? "0") ?? 0
    }
    let small = try await build(1_000_000)
    let large = try await build(5_000_000)
    var one: [Double] = [], five: [Double] = []
    for round in 0..<rounds {
        one.append(try peak(small))
        five.append(try peak(large))
        log("streaming memory round \(round + 1): 1M \(Int(one.last! / 1024)) KiB, 5M \(Int(five.last! / 1024)) KiB")
    }
    let l = Measure.median(five), r = Measure.median(one)
    results.append(BenchResult(case: "streaming memory", library: l, reference: r, ratio: l / r, target: 1.2, lowerIsBetter: true,
                               unit: "bytes (peak anonymous RSS)", note: "read-all with a trivial fold: 5M events vs 1M events"))
    Measure.remove(small)
    Measure.remove(large)
}
// 7. Codecs: decode and re-encode every event of the year, generated vs Codable.
if wanted("codec") {
    if !FileManager.default.fileExists(atPath: city) {
        let store = try LMDBEventStore(path: city, durability: .relaxed)
        _ = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: 2025)).generate(into: store)
        await store.close()
    }
    let byType = try await CodecCase.payloads(path: city)
    var lib: [Double] = [], ref: [Double] = []
    var count = 0
    for round in 0..<rounds {
        let (g, c, events) = try CodecCase.run(byType)
        lib.append(g)
        ref.append(c)
        count = events
        log("codec round \(round + 1): generated \(Int(g)) ev/s, Codable \(Int(c)) ev/s")
    }
    let l = Measure.median(lib), r = Measure.median(ref)
    results.append(BenchResult(case: "codec (generated vs Codable)", library: l, reference: r, ratio: l / r, target: 1, lowerIsBetter: nil,
                               unit: "events/s", note: "decode and re-encode each of \(count) stored case events: schema-generated codecs vs Codable through BinaryCodec"))
}
// 8. Export and import of the year, against the bulk-import row of this run.
if wanted("archive") {
    if !FileManager.default.fileExists(atPath: city) {
        let store = try LMDBEventStore(path: city, durability: .relaxed)
        _ = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: 2025)).generate(into: store)
        await store.close()
    }
    if !results.contains(where: { $0.case == "bulk import" }) {
        try await appendCase("bulk import", label: "bulk", events: 200_000, batch: 10_000, durability: .relaxed,
                             note: "200,000 events, batches of 10,000 over 1,000 streams, relaxed durability")
    }
    let bulk = results.first { $0.case == "bulk import" }?.library ?? 0
    var exports: [Double] = [], imports: [Double] = []
    for round in 0..<rounds {
        let file = Measure.fresh("export") + ".ndjson"
        exports.append(try await ArchiveCase.export(path: city, to: file))
        let target = Measure.fresh("import")
        imports.append(try await ArchiveCase.importFile(file, into: target))
        Measure.remove(file)
        Measure.remove(target)
        log("archive round \(round + 1): export \(Int(exports.last!)) ev/s, import \(Int(imports.last!)) ev/s (bulk import \(Int(bulk)) ev/s)")
    }
    for (name, rates) in [("export", exports), ("import", imports)] {
        let l = Measure.median(rates)
        results.append(BenchResult(case: name, library: l, reference: bulk, ratio: l / bulk, target: 0.5, lowerIsBetter: nil, unit: "events/s",
                                   note: "the year of the city (scale \(scale)) \(name == "export" ? "to an export file" : "from an export file into a fresh store"), vs this run's bulk import"))
    }
}
// 9. Read models following live in a service: 16 clients rating one at a
// time, durably, each waiting to see its rating, against the same clients
// with no engine; latency, bytes per event and start time beside.
if wanted("live") {
    if !FileManager.default.fileExists(atPath: city) {
        let store = try LMDBEventStore(path: city, durability: .relaxed)
        _ = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: 2025)).generate(into: store)
        await store.close()
    }
    try await LiveCase.prepare(city)
    let each = 200
    var with: [Double] = [], without: [Double] = [], p50: [Double] = [], p99: [Double] = [], bytesWith: [Double] = [],
        bytesWithout: [Double] = [], start: [Double] = [], startBare: [Double] = []
    for round in 0..<rounds {
        let bare = try await LiveCase.run(city: city, following: false, each: each, round: round)
        let live = try await LiveCase.run(city: city, following: true, each: each, round: round)
        without.append(bare.ratingsPerSecond)
        with.append(live.ratingsPerSecond)
        p50.append(LiveCase.percentile(live.latencies, 0.5) * 1_000)
        p99.append(LiveCase.percentile(live.latencies, 0.99) * 1_000)
        bytesWith.append(live.bytesPerEvent)
        bytesWithout.append(bare.bytesPerEvent)
        start.append(live.startSeconds)
        startBare.append(bare.startSeconds)
        log("live round \(round + 1): \(Int(live.ratingsPerSecond)) ratings/s following, \(Int(bare.ratingsPerSecond)) without; "
            + "visible p50 \(String(format: "%.1f", p50.last!)) ms, p99 \(String(format: "%.1f", p99.last!)) ms; "
            + "\(Int(live.bytesPerEvent)) vs \(Int(bare.bytesPerEvent)) bytes/event; start \(String(format: "%.3f", live.startSeconds)) s")
    }
    let note = "16 clients rating one at a time, durably, on the year of the city (scale \(scale))"
    let l = Measure.median(with), r = Measure.median(without)
    results.append(BenchResult(case: "live: ratings following", library: l, reference: r, ratio: l / r, target: 0.8, lowerIsBetter: nil,
                               unit: "ratings/s", note: note + ", four read models following and each client waiting to see its rating, vs no engine"))
    results.append(BenchResult(case: "live: visible p50 (ms)", library: Measure.median(p50), reference: 50, ratio: Measure.median(p50) / 50,
                               target: 1, lowerIsBetter: true, unit: "ms", note: "append returned to read model reflecting it, median, against 50 ms"))
    results.append(BenchResult(case: "live: visible p99 (ms)", library: Measure.median(p99), reference: 50, ratio: Measure.median(p99) / 50,
                               target: 1, lowerIsBetter: true, unit: "ms", note: "append returned to read model reflecting it, 99th percentile, against 50 ms"))
    let bw = Measure.median(bytesWith), bo = Measure.median(bytesWithout)
    results.append(BenchResult(case: "live: bytes per event", library: bw, reference: bo, ratio: bo > 0 ? bw / bo : 0, target: 2, lowerIsBetter: true,
                               unit: "bytes", note: "bytes written (page writes and saves) per event appended, following vs without"))
    results.append(BenchResult(case: "live: service start (s)", library: Measure.median(start), reference: 1, ratio: Measure.median(start),
                               target: 1, lowerIsBetter: true, unit: "s",
                               note: "open, load the four saved read models and go live, against 1 s (open alone: \(String(format: "%.3f", Measure.median(startBare))) s)"))
}
// 11. The city's case service on loopback: wrk submits ratings and reads a
// ticket over HTTP (bearer tokens, JSON, read models following live),
// against the same work by 16 tasks in process.
if wanted("service"), option("--service") == nil {
    log("service: not run: it needs --service PATH to the CityService executable (make bench passes it)")
    if only == "service" { throw ServiceCase.Failure(description: "--service PATH is needed for the service case") }
}
if wanted("service"), let service = option("--service") {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
        throw ServiceCase.Failure(description: "the service case needs wrk (Debian's wrk; make bench installs it)")
    }
    if !FileManager.default.fileExists(atPath: city) {
        let store = try LMDBEventStore(path: city, durability: .relaxed)
        _ = try await CityWorkload(WorkloadConfiguration(scale: scale, seed: 2025)).generate(into: store)
        await store.close()
    }
    try await LiveCase.prepare(city)
    let ticket = try await ServiceCase.someTicket(in: city)
    let script = try ServiceCase.ratingScript()
    defer { Measure.remove(script) }
    var ratings: [Double] = [], ratingsP99: [Double] = [], reads: [Double] = [], readsP99: [Double] = []
    var ratingsRef: [Double] = [], readsRef: [Double] = []
    for round in 0..<rounds {
        let (rated, read, bare) = try await ServiceCase.withService(service, city: city) { port in
            let url = "http://127.0.0.1:\(port)"
            let auditor = ["-H", "Authorization: Bearer auditor-token"]
            // Warm-up (caches, pages of the store): not measured.
            _ = try ServiceCase.wrk(["-s", script, url + "/api/ratings"], seconds: 3)
            _ = try ServiceCase.wrk(auditor + [url + "/api/tickets/\(ticket)"], seconds: 3)
            let rated = try ServiceCase.wrk(["-s", script, url + "/api/ratings"])
            let read = try ServiceCase.wrk(auditor + [url + "/api/tickets/\(ticket)"])
            let bare = try ServiceCase.wrk(auditor + [url + "/api/whoami"])
            return (rated, read, bare)
        }
        ratings.append(rated.requestsPerSecond)
        ratingsP99.append(rated.p99Milliseconds)
        reads.append(read.requestsPerSecond)
        readsP99.append(read.p99Milliseconds)
        ratingsRef.append(try await ServiceCase.inProcess(city: city))
        readsRef.append(bare.requestsPerSecond)
        log("service round \(round + 1): \(Int(rated.requestsPerSecond)) ratings/s over HTTP (p99 \(String(format: "%.1f", rated.p99Milliseconds)) ms) vs "
            + "\(Int(ratingsRef.last!)) in process; \(Int(read.requestsPerSecond)) ticket reads/s (p99 \(String(format: "%.1f", read.p99Milliseconds)) ms) vs \(Int(readsRef.last!)) bare requests/s")
    }
    let note = "wrk, 16 connections for \(ServiceCase.seconds) s on loopback, the year of the city (scale \(scale)), four read models following live"
    var l = Measure.median(ratings), r = Measure.median(ratingsRef)
    results.append(BenchResult(case: "service: ratings over HTTP", library: l, reference: r, ratio: l / r, target: 0.3, lowerIsBetter: nil,
                               unit: "ratings/s", note: note + "; POST /api/ratings (durable), vs 16 tasks appending in process"))
    results.append(BenchResult(case: "service: ratings p99 (ms)", library: Measure.median(ratingsP99), reference: 50, ratio: Measure.median(ratingsP99) / 50,
                               target: 1, lowerIsBetter: true, unit: "ms", note: "99th percentile of POST /api/ratings, against 50 ms"))
    l = Measure.median(reads)
    r = Measure.median(readsRef)
    results.append(BenchResult(case: "service: ticket reads over HTTP", library: l, reference: r, ratio: l / r, target: 0.3, lowerIsBetter: nil,
                               unit: "reads/s", note: note + "; GET /api/tickets/{id} (the ticket loaded from its stream and its board row), vs the service's bare GET /api/whoami"))
    results.append(BenchResult(case: "service: ticket reads p99 (ms)", library: Measure.median(readsP99), reference: 50, ratio: Measure.median(readsP99) / 50,
                               target: 1, lowerIsBetter: true, unit: "ms", note: "99th percentile of GET /api/tickets/{id}, against 50 ms"))
}
if keptCity == nil { Measure.remove(city) }

// 12. Personal data sealed per citizen: the year appended and rebuilt with
// every ticket summary and rater sealed, against the same year in clear.
/// `--personal-scale S` sets the year's scale for this case (default: --scale).
if wanted("personal") {
    let personalScale = Double(option("--personal-scale") ?? "") ?? scale
    let master = SymmetricKey(size: .bits256)
    var appendSealed: [Double] = [], appendClear: [Double] = [], rebuildSealed: [Double] = [], rebuildClear: [Double] = []
    var readSealed: [Double] = [], readClear: [Double] = []
    var events: UInt64 = 0
    for round in 0..<rounds {
        let clear = Measure.fresh("personal-clear"), sealed = Measure.fresh("personal-sealed")
        let (c, n) = try await PersonalCase.generate(path: clear, scale: personalScale, master: nil)
        let (s, _) = try await PersonalCase.generate(path: sealed, scale: personalScale, master: master)
        appendClear.append(c)
        appendSealed.append(s)
        events = n
        let (rs, sealedDigests) = try await PersonalCase.rebuild(path: sealed, master: master)
        let (rc, clearDigests) = try await PersonalCase.rebuild(path: clear, master: nil)
        rebuildSealed.append(rs)
        rebuildClear.append(rc)
        let (reads, texts) = try await PersonalCase.readPersonal(path: sealed, master: master)
        let (readc, clearTexts) = try await PersonalCase.readPersonal(path: clear, master: nil)
        guard texts == clearTexts else { throw BenchError("the sealed year's personal fields do not read as the clear year's") }
        readSealed.append(reads)
        readClear.append(readc)
        // The citizens' files keep sealed text as the log holds it; the
        // four city read models never see a personal field.
        let cityModels = [TicketBoardProjection.name, EvaluationScoresProjection.name, CheckupRegisterProjection.name, PenaltyRegisterProjection.name]
        let same = cityModels.allSatisfy { sealedDigests[$0] != nil && sealedDigests[$0] == clearDigests[$0] }
        guard same else { throw BenchError("sealing changed a city read model's digest") }
        Measure.remove(clear)
        Measure.remove(sealed)
        log("personal round \(round + 1): append \(Int(s)) ev/s sealed vs \(Int(c)) clear; rebuild \(Int(rs)) ev/s sealed vs \(Int(rc)) clear; "
            + "reading every personal field \(Int(reads)) ev/s sealed vs \(Int(readc)) clear")
    }
    let note = "the year of the city (scale \(personalScale), \(events) events), ticket summaries and raters sealed per citizen (AES-GCM, keys in LMDB)"
    var l = Measure.median(appendSealed), r = Measure.median(appendClear)
    results.append(BenchResult(case: "personal: append sealed", library: l, reference: r, ratio: l / r, target: nil, lowerIsBetter: nil,
                               unit: "events/s", note: note + ": generated into a fresh store, keys made on first use, vs in clear (no target: one AES-GCM seal per personal field)"))
    l = Measure.median(rebuildSealed)
    r = Measure.median(rebuildClear)
    results.append(BenchResult(case: "personal: rebuild sealed", library: l, reference: r, ratio: l / r, target: 0.8, lowerIsBetter: nil,
                               unit: "events/s", note: note + ": the four city read models (given personal fields sealed, unopenable) and the citizens' files "
                                   + "(which keep summaries sealed and count ratings by the subject of the rater's key: nothing decrypted) rebuilt, vs in clear"))
    l = Measure.median(readSealed)
    r = Measure.median(readClear)
    results.append(BenchResult(case: "personal: read every field", library: l, reference: r, ratio: l / r, target: nil, lowerIsBetter: nil,
                               unit: "events/s", note: note + ": every ticket and rating read through the registry and each personal field's text read "
                                   + "(one AES-GCM open each), vs in clear (no target: what a reader that opens everything pays)"))
}

// 10. Tracing with a tracer that records nothing, against none.
if wanted("tracing") {
    /// Rounds of a pair with and without the tracer, alternating which goes
    /// first (the second run of a pair meets the first one's dirty pages
    /// being written back).
    func alternating(_ label: String, _ run: ((any Tracer)?) async throws -> Double) async throws -> (with: [Double], without: [Double]) {
        var with: [Double] = [], without: [Double] = []
        for round in 0..<rounds {
            if round % 2 == 0 {
                without.append(try await run(nil))
                with.append(try await run(TracingCase.noOp))
            } else {
                with.append(try await run(TracingCase.noOp))
                without.append(try await run(nil))
            }
            log("\(label) round \(round + 1): \(Int(with.last!)) appends/s with a no-op tracer, \(Int(without.last!)) without")
        }
        return (with, without)
    }
    let (with, without) = try await alternating("tracing") { try await TracingCase.appends(tracer: $0, count: 20_000) }
    let (memWith, memWithout) = try await alternating("tracing in memory") { try await TracingCase.inMemoryAppends(tracer: $0, count: 100_000) }
    let ml = Measure.median(memWith), mr = Measure.median(memWithout)
    results.append(BenchResult(case: "tracing: no-op tracer, in memory", library: ml, reference: mr, ratio: ml / mr, target: 0.9, lowerIsBetter: nil,
                               unit: "appends/s", note: "100,000 single-event appends to the in-memory store (no disk), one span each, with a no-op tracer vs no tracer"))
    let l = Measure.median(with), r = Measure.median(without)
    results.append(BenchResult(case: "tracing: no-op tracer", library: l, reference: r, ratio: l / r, target: 0.9, lowerIsBetter: nil,
                               unit: "appends/s", note: "20,000 single-event appends (relaxed), one span each, with a no-op tracer vs no tracer"))
}

// 11. PostgreSQL rows, when a server is given (make bench starts one).
if wanted("postgres"), let url = option("--postgres") ?? ProcessInfo.processInfo.environment["CASELEDGER_POSTGRES_URL"] {
    results += try await PostgresCases.run(url: url, rounds: rounds, log: log)
}

// The table.
func fmt(_ x: Double) -> String { x >= 100 ? String(Int(x.rounded())) : String(format: "%.3f", x) }
func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
print(pad("case", 34) + pad("library", 14) + pad("raw LMDB/ref", 14) + pad("ratio", 8) + pad("target", 10) + "ok")
for r in results {
    let row = pad(r.case, 34) + pad(fmt(r.library), 14) + pad(fmt(r.reference), 14) + pad(String(format: "%.2f", r.ratio), 8)
    guard let target = r.target else {
        print(row + pad("-", 10) + "-")
        continue
    }
    let ok = r.lowerIsBetter == true ? r.ratio <= target : r.ratio >= target
    print(row + pad((r.lowerIsBetter == true ? "<= " : ">= ") + String(format: "%g", target), 10) + (ok ? "yes" : "NO"))
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
try encoder.encode(results).write(to: URL(fileURLWithPath: out))
log("wrote \(out)")
