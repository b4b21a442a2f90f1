import Logging
import Metrics
import Tracing

/// Settings every backend takes: limits, the logger, the metrics factory and the clock.
///
/// ```swift
/// var options = EventStoreOptions(logger: Logger(label: "city"))
/// options.maximumPayloadSize = 1 << 20
/// let store = InMemoryEventStore(options: options)
/// ```
public struct EventStoreOptions: Sendable {
    /// The largest payload accepted, in bytes. 16 MiB by default.
    public var maximumPayloadSize: Int
    /// Where the store logs.
    public var logger: Logger
    /// Where the store reports appends, commit latency and batch sizes.
    public var metricsFactory: any MetricsFactory
    /// Stamps events appended without a recorded-at time.
    public var clock: @Sendable () -> Timestamp
    /// The most events one group commit takes from the queue (a larger single
    /// append still commits alone). 100,000 by default.
    public var maximumEventsPerCommit: Int
    /// Where spans go (swift-distributed-tracing): `caseledger.append`,
    /// `caseledger.aggregate.load`, `caseledger.aggregate.execute` and
    /// `caseledger.projection.fold` (one per page folded). `nil`, the
    /// default, starts no span at all.
    ///
    /// ```swift
    /// options.tracer = InstrumentationSystem.tracer   // the bootstrapped tracer
    /// ```
    public var tracer: (any Tracer)? = nil

    /// Creates options.
    ///
    /// - Parameters:
    ///   - maximumPayloadSize: the payload limit in bytes.
    ///   - logger: the logger; a logger that discards everything by default.
    ///   - metricsFactory: the metrics factory; the process's bootstrapped one by default.
    ///   - clock: the clock; the system clock by default.
    ///   - maximumEventsPerCommit: the most events one group commit takes.
    public init(
        maximumPayloadSize: Int = 16 << 20,
        logger: Logger = Logger(label: "caseledger", factory: { _ in SwiftLogNoOpLogHandler() }),
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() },
        maximumEventsPerCommit: Int = 100_000
    ) {
        self.maximumEventsPerCommit = maximumEventsPerCommit
        self.maximumPayloadSize = maximumPayloadSize
        self.logger = logger
        self.metricsFactory = metricsFactory
        self.clock = clock
    }
}
