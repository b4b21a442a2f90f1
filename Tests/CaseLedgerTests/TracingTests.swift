import CaseLedger
import CaseLedgerTestKit
import InMemoryTracing
import Testing
import Tracing

@Suite("Spans around appends, aggregates and folds")
struct TracingTests {
    static let registry = TestDomain.registry

    @Test("a store given a tracer starts spans, nested under the caller's; failures are marked; no tracer, no span")
    func spans() async throws {
        let tracer = InMemoryTracer()
        var options = EventStoreOptions()
        options.tracer = tracer
        let store = InMemoryEventStore(options: options)

        // An aggregate command: execute, with the load and the append inside it.
        let repository = AggregateRepository<TestDomain.Case>(store: store, registry: Self.registry)
        let stream = try StreamName("case-1")
        try await repository.execute(stream) { _ in [TestDomain.Opened(caseID: "1", amount: 5)] }
        var spans = tracer.popFinishedSpans()
        let execute = try #require(spans.first { $0.operationName == "caseledger.aggregate.execute" })
        let load = try #require(spans.first { $0.operationName == "caseledger.aggregate.load" })
        let append = try #require(spans.first { $0.operationName == "caseledger.append" })
        #expect(load.parentSpanID == execute.spanID && append.parentSpanID == execute.spanID, "\(spans.map(\.operationName))")
        #expect(execute.attributes["caseledger.stream"]?.toSpanAttribute() == "case-1")
        #expect(append.attributes["caseledger.events"]?.toSpanAttribute() == 1)
        #expect(execute.status == nil && append.errors.isEmpty)

        // A refused append: its span records the error.
        await #expect(throws: EventStoreError.self) {
            _ = try await store.append([try Self.registry.encode(TestDomain.Adjusted(caseID: "1", delta: 1))], to: stream, expectedVersion: .noStream)
        }
        spans = tracer.popFinishedSpans()
        #expect(spans.count == 1 && spans[0].operationName == "caseledger.append")
        #expect(spans[0].status?.code == .error && spans[0].errors.count == 1)

        // A catch-up: one fold span per page.
        try await TestDomain.bulkAppend(try TestDomain.workload(count: 300), to: store)
        _ = tracer.popFinishedSpans()
        let engine = ProjectionEngine(store: store, registry: Self.registry, options: ProjectionOptions(pageSize: 100))
        try await engine.register(TestDomain.Totals())
        try await engine.catchUp()
        let folds = tracer.popFinishedSpans().filter { $0.operationName == "caseledger.projection.fold" }
        #expect(folds.count == 4, "301 events in pages of 100: \(folds.count) fold spans")

        // Without a tracer the store offers none to what runs over it.
        #expect(InMemoryEventStore().tracer == nil)
        #expect(store.tracer != nil)
    }
}
