import Benchmark
import CaseLedger
import CaseLedgerLMDB
import CaseManagement
import CaseWorkload
import Foundation

// ordo-one/benchmark suite: `make benchmarks` (or `swift package benchmark`
// in Benchmarks/). The side-by-side comparison with raw LMDB is `make bench`.

func freshStore(_ durability: LMDBDurability) throws -> LMDBEventStore {
    let path = NSTemporaryDirectory() + "caseledger-benchmark-\(UUID().uuidString)"
    return try LMDBEventStore(configuration: LMDBConfiguration(path: path, durability: durability, initialMapSize: 1 << 30))
}

func events(_ n: Int) -> [EventData] {
    (0..<n).map { _ in EventData(type: "Bench", payload: [UInt8](repeating: 0x61, count: 64)) }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(3))

    for (batch, durability) in [(1, LMDBDurability.durable), (100, .durable), (10_000, .relaxed), (1, .relaxed), (100, .relaxed)] {
        Benchmark("append batch \(batch) \(durability)", configuration: .init(scalingFactor: .one)) { benchmark in
            let store = try freshStore(durability)
            let stream = try StreamName("bench-1")
            let data = events(batch)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                _ = try await store.append(data.map { EventData(type: $0.type, payload: $0.payload) }, to: stream)
            }
            benchmark.stopMeasurement()
            await store.close()
        }
    }

    for appenders in [1, 8, 64] {
        Benchmark("group commit \(appenders) durable appenders") { benchmark in
            let store = try freshStore(.durable)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for t in 0..<appenders {
                        group.addTask { _ = try await store.append(events(1), to: try StreamName("gc-\(t)")) }
                    }
                    try await group.waitForAll()
                }
            }
            benchmark.stopMeasurement()
            await store.close()
        }
    }

    Benchmark("aggregate load (10 events)") { benchmark in
        let store = try freshStore(.relaxed)
        let desk = CaseDesk(store: store)
        try await desk.ticket("b") { try $0.file("b", channel: .oneStopDesk, category: .hardship, filerID: "c", summary: "s", level: .town, centerID: "c") }
        for _ in 0..<9 {
            _ = try await store.append([try desk.registry.encode(TicketReminded(ticketID: "b", note: "n"))], to: try CaseDesk.ticketStream("b"))
        }
        let repository = AggregateRepository<Ticket>(store: store, registry: desk.registry)
        let stream = try CaseDesk.ticketStream("b")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try await repository.load(stream)) }
        benchmark.stopMeasurement()
        await store.close()
    }

    Benchmark("read-all scan (50k events)", configuration: .init(maxIterations: 20)) { benchmark in
        let store = try freshStore(.relaxed)
        try await CityWorkload(WorkloadConfiguration(scale: 0.05, seed: 1)).generate(into: store)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var n = 0
            for try await page in store.allEvents(pageSize: 4_096) { n += page.count }
            blackHole(n)
        }
        benchmark.stopMeasurement()
        await store.close()
    }

    Benchmark("rebuild all read models (50k events)", configuration: .init(maxIterations: 10)) { benchmark in
        let store = try freshStore(.relaxed)
        try await CityWorkload(WorkloadConfiguration(scale: 0.05, seed: 1)).generate(into: store)
        let engine = ProjectionEngine(store: store, registry: CaseEvents.registry())
        try await CityProjections.register(in: engine)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try await engine.rebuild()) }
        benchmark.stopMeasurement()
        await store.close()
    }

    let filed = TicketFiled(ticketID: "2025-000001", channel: .orderPlatform, category: .wageDispute, filerID: "citizen-00001",
                            summary: "wages unpaid for three months", level: .village, centerID: "center-village-0001", isClue: false)
    Benchmark("codec encode (binary)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try BinaryCodec().encode(filed)) }
    }
    let bytes = try! BinaryCodec().encode(filed)
    Benchmark("codec decode (binary)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try BinaryCodec().decode(TicketFiled.self, from: bytes)) }
    }
    let json = try! JSONCodec().encode(filed)
    Benchmark("codec decode (JSON)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try JSONCodec().decode(TicketFiled.self, from: json)) }
    }

    Benchmark("subscription latency (append to delivery)") { benchmark in
        let store = try freshStore(.relaxed)
        let stream = try StreamName("latency-1")
        var iterator = store.subscribe(from: 1).makeAsyncIterator()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            _ = try await store.append(events(1), to: stream)
            blackHole(try await iterator.next())
        }
        benchmark.stopMeasurement()
        await store.close()
    }
}
