/// A conformance check that did not hold.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    /// What was expected and what happened.
    public var message: String
    /// Where the check is.
    public var file: String
    /// The line of the check.
    public var line: Int

    /// Creates a failure.
    public init(_ message: String, file: String = #fileID, line: Int = #line) {
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line): \(message)" }
}
