import Foundation

/// Runs the `caseledger` executable built beside the test bundle.
struct CLI {
    struct Result {
        var status: Int32
        var out: String
        var err: String
        var terminatedBySignal = false
    }

    static var executable: URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ].compactMap { $0 }
        for dir in candidates {
            let url = dir.appendingPathComponent("caseledger")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: ".build/debug/caseledger")
    }

    /// Runs a shell command line (for input a `Process` cannot pass: bytes
    /// that are not UTF-8, redirections).
    @discardableResult
    static func shell(_ line: String) async throws -> Result {
        try await run(["-c", line], executable: URL(fileURLWithPath: "/bin/sh"))
    }

    /// Runs the executable and waits for it on a thread of its own: a test
    /// never blocks one of the few threads the tests' tasks share (under
    /// ThreadSanitizer on two cores, blocked threads starved other tests
    /// past their timeouts).
    @discardableResult
    static func run(_ arguments: [String], executable: URL = CLI.executable) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, executable: executable) })
            }
            thread.start()
        }
    }

    /// Runs the executable and waits, blocking the caller: for one-time set-up
    /// in a static initializer only.
    @discardableResult
    static func runBlocking(_ arguments: [String], executable: URL = CLI.executable) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs so neither fills up.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self),
                      terminatedBySignal: process.terminationReason == .uncaughtSignal)
    }

    /// A path under this run's temporary folder, which is removed when the
    /// test process exits.
    static func temporary(_ label: String) -> String {
        TestFolder.path + "/\(label)-\(UUID().uuidString)"
    }

    /// Removes what a test made.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func json(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
