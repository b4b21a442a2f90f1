import Foundation

/// Runs the `CaseLedgerStress` executable built beside the test bundle.
enum StressHelper {
    static var executable: URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].compactMap { $0 }
        for dir in candidates {
            let url = dir.appendingPathComponent("CaseLedgerStress")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: ".build/debug/CaseLedgerStress")
    }

    /// Starts the helper appending `batches` batches of `size` events as `writer`.
    static func start(path: String, writer: Int, batches: Int, size: Int, errors: String? = nil) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["append", path, String(writer), String(batches), String(size)]
        let out = Pipe()
        process.standardOutput = out
        if let errors {
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: errors) ?? FileHandle.nullDevice
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return (process, out)
    }

    /// Runs the helper with arguments and returns its exit status and output.
    /// Waits by polling, so that no thread the tests' tasks share is held
    /// while the helper runs (on two cores, two such waits would stall
    /// every other test).
    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        let output = TestFolder.path + "/stress-\(UUID().uuidString).out"
        FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: output) ?? FileHandle.nullDevice
        try process.run()
        try await exit(of: process)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return (process.terminationStatus, text)
    }

    /// Waits for a helper to end, by polling.
    static func exit(of process: Process) async throws {
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        process.waitUntilExit()
    }

    /// Starts the helper with arguments.
    static func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The batch numbers the helper acknowledged on its output.
    static func acknowledged(_ pipe: Pipe, writer: Int) -> Set<Int> {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        var batches = Set<Int>()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 3, parts[0] == "ack", Int(parts[1]) == writer, let b = Int(parts[2]) { batches.insert(b) }
        }
        return batches
    }
}
