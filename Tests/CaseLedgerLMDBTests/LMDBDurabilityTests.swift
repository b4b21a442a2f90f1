import CaseLedger
import CaseLedgerLMDB
import Foundation
import Testing

@Suite("LMDB durability, crashes and processes", .serialized)
struct LMDBDurabilityTests {
    @Test("events survive close and reopen, durable and relaxed")
    func reopen() async throws {
        for durability in [LMDBDurability.durable, .relaxed] {
            let path = temporaryDirectory("reopen")
            let store = try LMDBEventStore(path: path, durability: durability)
            let s = try StreamName("ticket-1")
            _ = try await store.append((0..<100).map { EventData(type: "E", payload: [UInt8($0)]) }, to: s)
            try await store.sync()
            await store.close()
            let again = try LMDBEventStore(path: path)
            #expect(try await again.headPosition() == 100)
            #expect(try await again.streamVersion(s) == 100)
            let r = try await again.append([EventData(type: "E", payload: [])], to: s, expectedVersion: .exact(100))
            #expect(r.positions == [101])
            await again.close()
        }
    }

    @Test("an unusable path gives a storage error")
    func badPath() throws {
        #expect(throws: EventStoreError.self) {
            _ = try LMDBEventStore(path: "/proc/caseledger-cannot-be-here")
        }
        do {
            _ = try LMDBEventStore(path: "/proc/caseledger-cannot-be-here")
        } catch {
            #expect(error.code == .storage)
        }
    }

    @Test("SIGKILL mid-append, 20 times: acknowledged batches whole, no partial batch, contiguous")
    func killedWriter() async throws {
        let path = temporaryDirectory("crash")
        var generator = SystemRandomNumberGenerator()
        var acknowledgedTotal = 0
        for round in 0..<20 {
            let size = Int.random(in: 1...40, using: &generator)
            let (process, pipe) = try StressHelper.start(path: path, writer: round, batches: 1_000_000, size: size)
            try await Task.sleep(for: .milliseconds(Int.random(in: 40...250, using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            try await StressHelper.exit(of: process)
            let acked = StressHelper.acknowledged(pipe, writer: round)
            acknowledgedTotal += acked.count

            let store = try LMDBEventStore(path: path)
            let inspection = try await LogInspection.inspect(store)
            #expect(inspection.problems.isEmpty, "round \(round): \(inspection.problems.prefix(5))")
            for batch in acked {
                #expect(inspection.batches[LogInspection.key(round, batch)] == size, "round \(round): acknowledged batch \(batch) is missing or partial")
            }
            #expect(try await store.headPosition() == inspection.count)
            await store.close()
        }
        #expect(acknowledgedTotal > 0, "the helper acknowledged no batch in 20 rounds")
    }

    @Test("two processes append to one store at once: contiguous and complete")
    func twoProcesses() async throws {
        let path = temporaryDirectory("two")
        // Create the environment first so that both processes open an existing one.
        try await LMDBEventStore(path: path).close()
        let batches = 150, size = 4
        let errorsA = path + "-a.err", errorsB = path + "-b.err"
        let (a, pa) = try StressHelper.start(path: path, writer: 1, batches: batches, size: size, errors: errorsA)
        let (b, pb) = try StressHelper.start(path: path, writer: 2, batches: batches, size: size, errors: errorsB)
        try await StressHelper.exit(of: a)
        try await StressHelper.exit(of: b)
        let ackedA = StressHelper.acknowledged(pa, writer: 1)
        let ackedB = StressHelper.acknowledged(pb, writer: 2)
        #expect(a.terminationStatus == 0, "\((try? String(contentsOfFile: errorsA, encoding: .utf8)) ?? "")")
        #expect(b.terminationStatus == 0, "\((try? String(contentsOfFile: errorsB, encoding: .utf8)) ?? "")")
        #expect(ackedA.count == batches)
        #expect(ackedB.count == batches)
        let store = try LMDBEventStore(path: path)
        let inspection = try await LogInspection.inspect(store)
        #expect(inspection.problems.isEmpty, "\(inspection.problems.prefix(5))")
        #expect(inspection.count == UInt64(2 * batches * size))
        for w in [1, 2] {
            for batch in 0..<batches {
                #expect(inspection.batches[LogInspection.key(w, batch)] == size)
            }
        }
        await store.close()
    }

    actor Seen {
        var payloads: [String] = []
        func add(_ p: String) { payloads.append(p) }
    }

    /// The subscriber's re-read of the head is set to an hour, so only the
    /// data file's change notice can wake it before the deadline. Each of
    /// five processes appends one event once the subscriber has seen the one
    /// before (so it is waiting), and the subscriber must see each in turn.
    @Test("another process's commits wake a subscriber here without waiting for a re-read of the head")
    func otherProcessCommitsWake() async throws {
        let path = temporaryDirectory("watch")
        var configuration = LMDBConfiguration(path: path)
        configuration.commitRecheckInterval = .seconds(3_600)
        let store = try LMDBEventStore(configuration: configuration)
        try #require(store.storage.commitRecheckInterval == .seconds(3_600), "the data file is watched")
        let seen = Seen()
        let subscriber = Task {
            for try await event in store.subscribe(from: 1) {
                await seen.add(String(decoding: event.payload, as: UTF8.self))
            }
        }
        defer { subscriber.cancel() }
        for writer in 0..<5 {
            let process = try StressHelper.launch(["append", path, String(writer), "1", "1"])
            // Poll rather than block one of the few threads the tasks share.
            while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
            #expect(process.terminationStatus == 0)
            // Generous for a busy machine, and far below the hour of the re-read.
            let deadline = ContinuousClock.now + .seconds(60)
            while await seen.payloads.count <= writer && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let now = await seen.payloads
            try #require(now.count == writer + 1, "event \(writer) did not reach the subscriber: \(now)")
        }
        #expect(await seen.payloads == (0..<5).map { "\($0)/0/0" })
        await store.close()
    }
}
