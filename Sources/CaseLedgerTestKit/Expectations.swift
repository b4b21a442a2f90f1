import CaseLedger

/// Checks used by the conformance cases.
enum Expect {
    static func that(_ condition: Bool, _ message: @autoclosure () -> String, file: String = #fileID, line: Int = #line) throws {
        if !condition { throw ConformanceFailure(message(), file: file, line: line) }
    }

    static func equal<T: Equatable>(_ a: T, _ b: T, _ what: String, file: String = #fileID, line: Int = #line) throws {
        if a != b { throw ConformanceFailure("\(what): got \(a), expected \(b)", file: file, line: line) }
    }

    /// Runs `body`, which must fail with an ``EventStoreError`` of `code`; returns the error.
    @discardableResult
    static func error<T>(_ code: EventStoreError.Code, _ what: String, file: String = #fileID, line: Int = #line, _ body: () async throws -> T) async throws -> EventStoreError {
        do {
            let value = try await body()
            throw ConformanceFailure("\(what): expected \(code), but it succeeded with \(value)", file: file, line: line)
        } catch let error as EventStoreError {
            if error.code != code {
                throw ConformanceFailure("\(what): expected \(code), got \(error)", file: file, line: line)
            }
            return error
        }
    }
}
