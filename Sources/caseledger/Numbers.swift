/// Numeric flags read as text, so that a negative or malformed number gets a
/// sentence that says what is wrong (instead of "missing value").
enum Numbers {
    /// A position: 1 or more.
    static func position(_ text: String, flag: String) throws -> UInt64 {
        if let n = Int64(text), n < 1 { throw CLIError("\(flag) \(text) is not a position; positions start at 1") }
        guard let n = UInt64(text) else { throw CLIError("\(flag) must be a whole number, not '\(text)'") }
        return n
    }

    /// A count: 1 or more.
    static func count(_ text: String, flag: String) throws -> Int {
        if let n = Int64(text), n < 1 { throw CLIError("\(flag) \(text) is not allowed; give 1 or more") }
        guard let n = Int(text) else { throw CLIError("\(flag) must be a whole number, not '\(text)'") }
        return n
    }
}
