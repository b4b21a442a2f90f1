import Foundation

/// A fresh directory under the system's temporary directory.
func temporaryDirectory(_ label: String = "store") -> String {
    let path = NSTemporaryDirectory() + "caseledger-tests/\(label)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
