import CaseLedger
import CaseLedgerLMDB
import CaseLedgerPostgres
import CaseLedgerService
import CaseLedgerTestKit
import Foundation
import Logging
import ServiceLifecycle

// A helper for the crash and multi-process tests.
//
//   CaseLedgerStress append PATH WRITER BATCHES BATCH_SIZE
//       Appends BATCHES batches of BATCH_SIZE events to stream
//       `stress-WRITER-<n mod 8>` and prints `ack WRITER N` after batch N commits.
//   CaseLedgerStress pg-append URL WRITER TASKS COUNT
//       TASKS concurrent tasks each make COUNT appends of two events to a
//       PostgreSQL store (another process's share of the gap test).
//   CaseLedgerStress fill PATH COUNT
//       Appends the test workload of COUNT events.
//   CaseLedgerStress project PATH [KILL_AFTER]
//       Catches the test projection up, saving every 200 events; prints `done DIGEST`.
//       With KILL_AFTER, kills itself with SIGKILL after folding that many events.
//   CaseLedgerStress rebuild PATH [KILL_AFTER]
//       The same for a rebuild.
//   CaseLedgerStress pg-lead URL
//       Follows the test projection on a PostgreSQL store only while it
//       leads (PostgresLeadership), saving every 100 ms; prints the engine's
//       state (`standby`, `live`, …) each time it changes. Runs until killed.
//   CaseLedgerStress serve PATH
//       A service group: the store, a projection engine following the test
//       projection live (saving only at shutdown) and a writer appending
//       batches of 50 (the test workload, then filler) and printing
//       `appended HEAD`, until SIGTERM; then
//       prints `stopped` and exits 0.
//
// Exit code 2 on bad arguments, 1 on a store error.

/// Events folded so far by this process.
let folded = Locked(0)

/// The test projection, which kills its own process with SIGKILL after
/// `killAfter` events: the kill lands at a chosen point in the middle of a
/// catch-up or rebuild, whatever the load on the machine. Its state and
/// digest are those of ``TestDomain/Totals``.
struct KillingTotals: Projection {
    static let name = TestDomain.Totals.name
    let killAfter: Int
    var filter: EventFilter { TestDomain.Totals().filter }
    func initialState() -> TestDomain.Totals.State { TestDomain.Totals().initialState() }
    func apply(_ envelope: EventEnvelope, to state: inout TestDomain.Totals.State) throws {
        let n = folded.withLock { n -> Int in
            n += 1
            return n
        }
        if killAfter > 0 && n >= killAfter { kill(getpid(), SIGKILL) }
        try TestDomain.Totals().apply(envelope, to: &state)
    }
}

/// Appends the test workload in batches of 50, then filler events, a batch
/// every millisecond or so, until graceful shutdown.
struct Writer: Service {
    let store: any EventStore
    func run() async throws {
        let events = try TestDomain.workload(count: 20_000)
        try await cancelWhenGracefulShutdown {
            var i = 0
            while !Task.isCancelled {
                if i < events.count {
                    try await TestDomain.bulkAppend(Array(events[i..<min(i + 50, events.count)]), to: store)
                } else {
                    let filler = (0..<50).map { EventData(type: "Filler", payload: Array("\(i + $0)".utf8)) }
                    _ = try await store.append(filler, to: try StreamName("filler-\(i % 8)"))
                }
                i += 50
                say("appended \(try await store.headPosition())")
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
    }
}

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(code)
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let args = CommandLine.arguments
guard args.count >= 3 else { fail("usage: CaseLedgerStress append|fill|project|rebuild PATH ...", code: 2) }
let path = args[2]
do {
    switch args[1] {
    case "append":
        guard args.count == 6, let writer = Int(args[3]), let batches = Int(args[4]), let size = Int(args[5]) else {
            fail("usage: CaseLedgerStress append PATH WRITER BATCHES BATCH_SIZE", code: 2)
        }
        let store = try LMDBEventStore(path: path)
        for batch in 0..<batches {
            let stream = try StreamName("stress-\(writer)-\(batch % 8)")
            let events = (0..<size).map { i in
                EventData(type: "Stressed", payload: Array("\(writer)/\(batch)/\(i)".utf8),
                          metadata: EventMetadata(properties: ["writer": String(writer), "batch": String(batch), "index": String(i), "size": String(size)]))
            }
            _ = try await store.append(events, to: stream)
            say("ack \(writer) \(batch)")
        }
        await store.close()
    case "pg-append":
        guard args.count == 6, let writer = Int(args[3]), let tasks = Int(args[4]), let count = Int(args[5]) else {
            fail("usage: CaseLedgerStress pg-append URL WRITER TASKS COUNT", code: 2)
        }
        var configuration = try PostgresStoreConfiguration(url: path)
        configuration.maximumConnections = 3
        // The tests run several of these at once, under ThreadSanitizer too.
        configuration.connectTimeout = .seconds(30)
        let store = try await PostgresEventStore.connect(configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<tasks {
                group.addTask {
                    let stream = try StreamName("gap-\(writer)-\(t)")
                    for i in 0..<count {
                        _ = try await store.append([EventData(type: "Gap", payload: Array("\(writer)/\(t)/\(i)".utf8)),
                                                    EventData(type: "Gap2", payload: [])], to: stream, expectedVersion: .exact(UInt64(i * 2)))
                    }
                }
            }
            try await group.waitForAll()
        }
        await store.close()
    case "fill":
        guard args.count == 4, let count = Int(args[3]) else { fail("usage: CaseLedgerStress fill PATH COUNT", code: 2) }
        let store = try LMDBEventStore(path: path, durability: .relaxed)
        try await TestDomain.bulkAppend(try TestDomain.workload(count: count), to: store)
        await store.close()
    case "project", "rebuild":
        let store = try LMDBEventStore(path: path)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry, options: ProjectionOptions(pageSize: 64, saveEvery: 200))
        try await engine.register(KillingTotals(killAfter: args.count > 3 ? Int(args[3]) ?? 0 : 0))
        if args[1] == "project" {
            try await engine.catchUp()
        } else {
            try await engine.rebuild()
        }
        say("done \(try await engine.digest(of: TestDomain.Totals.name))")
        await store.close()
    case "pg-lead":
        var configuration = try PostgresStoreConfiguration(url: path)
        configuration.maximumConnections = 4
        configuration.connectTimeout = .seconds(30)
        let store = try await PostgresEventStore.connect(configuration)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry,
                                      options: ProjectionOptions(saveEvery: 100, saveInterval: .milliseconds(100)))
        try await engine.register(TestDomain.Totals())
        let leadership = PostgresLeadership(store: store, retryInterval: .milliseconds(100), checkInterval: .milliseconds(200))
        let following = Task { try await engine.follow(leadership: leadership, name: "totals") }
        var last = ""
        while true {
            let state = try await engine.status().first?.state.description ?? "none"
            if state != last {
                say(state)
                last = state
            }
            if state.hasPrefix("failed") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        following.cancel()
        _ = try? await following.value
        await store.close()
    case "serve":
        let store = try LMDBEventStore(path: path)
        let engine = ProjectionEngine(store: store, registry: TestDomain.registry,
                                      options: ProjectionOptions(saveEvery: Int.max, saveInterval: .seconds(3_600)))
        try await engine.register(TestDomain.Totals())
        let group = ServiceGroup(configuration: .init(
            services: [EventStoreService(store), engine, Writer(store: store)],
            gracefulShutdownSignals: [.sigterm],
            logger: Logger(label: "stress")))
        try await group.run()
        say("stopped")
    default:
        fail("unknown mode \(args[1])", code: 2)
    }
} catch {
    fail("error: \(error)", code: 1)
}
