import Foundation

/// One temporary folder per test process, removed when the process exits,
/// so the tests leave nothing behind even when one fails.
enum TestFolder {
    static let path: String = {
        let path = NSTemporaryDirectory() + "caseledger-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { TestFolder.removeAll() }
        return path
    }()

    static func removeAll() {
        try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "caseledger-tests-\(getpid())")
    }
}
