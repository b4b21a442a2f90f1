import CaseLedger

/// One named check of the event-store conformance suite.
///
/// Run every case against a backend from a Swift Testing parameterized test:
///
/// ```swift
/// @Test(arguments: EventStoreConformance.cases)
/// func conformance(_ check: ConformanceCase) async throws {
///     try await check.run { options in InMemoryEventStore(options: options) }
/// }
/// ```
public struct ConformanceCase: Sendable, CustomStringConvertible {
    /// Makes a fresh, empty store with the given options. A case may call it
    /// more than once; it closes every store it makes.
    public typealias StoreFactory = @Sendable (EventStoreOptions) async throws -> any EventStore

    /// The case's name.
    public let name: String
    let body: @Sendable (StoreFactory) async throws -> Void

    init(_ name: String, _ body: @escaping @Sendable (StoreFactory) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the case; throws ``ConformanceFailure`` (or the store's error) when it fails.
    public func run(_ makeStore: StoreFactory) async throws {
        try await body(makeStore)
    }

    public var description: String { name }
}
