import Foundation

/// The repository's Python reference verifier (`tools/caseledger_verify.py`),
/// run from a test: the outside check of a store or an export.
///
/// ```swift
/// let (status, output) = try ReferenceVerifier.run(["export", path])
/// #expect(status == 0, "\(output)")
/// ```
public enum ReferenceVerifier {
    /// Runs the verifier with `arguments`; its exit status and output.
    public static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("tools/caseledger_verify.py").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
