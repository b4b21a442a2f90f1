/// One named check of a conformance suite whose stores come from a factory
/// of type `Factory` (see ``ReadModelStoreConformance`` and ``ProjectionConformance``).
public struct ConformanceCheck<Factory: Sendable>: Sendable, CustomStringConvertible {
    /// The check's name.
    public let name: String
    let body: @Sendable (Factory) async throws -> Void

    init(name: String, body: @escaping @Sendable (Factory) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the check; throws ``ConformanceFailure`` (or the store's error) when it fails.
    public func run(_ make: Factory) async throws { try await body(make) }

    public var description: String { name }
}
