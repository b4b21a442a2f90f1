/// Why a projection could not run.
public struct ProjectionError: Error, CustomStringConvertible, Sendable {
    /// The projection.
    public var projection: String
    /// The position of the event it stopped at, when there is one.
    public var position: UInt64?
    /// What went wrong.
    public var message: String

    /// Creates the error.
    public init(projection: String, position: UInt64? = nil, message: String) {
        self.projection = projection
        self.position = position
        self.message = message
    }

    public var description: String {
        "projection \(projection)\(position.map { " at position \($0)" } ?? ""): \(message)"
    }
}
