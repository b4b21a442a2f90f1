import Foundation

/// A fresh directory under this test process's temporary folder (removed
/// when the process exits).
func temporaryDirectory(_ label: String = "store") -> String {
    let path = TestFolder.path + "/\(label)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
