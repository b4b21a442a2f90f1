import Foundation

/// Headless Chromium (Debian's `chromium`), run as a process: loads a page,
/// lets its scripts run and its requests finish (virtual time), and prints
/// the DOM or saves a screenshot.
struct Chromium {
    let executable: String

    struct Missing: Error, CustomStringConvertible {
        var description: String { "headless Chromium is needed for the browser test: install Debian's chromium (make deps does)" }
    }

    /// The browser, or an error saying how to install it (the test fails: it is never skipped).
    static func find() throws -> Chromium {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: path) {
            return Chromium(executable: path)
        }
        throw Missing()
    }

    /// The DOM of `url` once its scripts and requests settle, or `budget`
    /// milliseconds of page time have passed.
    func dom(_ url: String, budget: Int = 8_000) async throws -> String {
        try await run(["--dump-dom", "--virtual-time-budget=\(budget)", url])
    }

    /// Saves a screenshot of `url` to `path`.
    func screenshot(_ url: String, to path: String, budget: Int = 8_000) async throws {
        _ = try await run(["--screenshot=\(path)", "--window-size=1280,900", "--hide-scrollbars", "--virtual-time-budget=\(budget)", url])
    }

    /// Runs the browser with a profile of its own (removed after), killing
    /// it after 90 s; waits on a thread of its own, never on the tests' shared threads.
    private func run(_ arguments: [String]) async throws -> String {
        let profile = NSTemporaryDirectory() + "chromium-profile-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let base = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--user-data-dir=\(profile)"]
        let executable = self.executable
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = base + arguments
                    let out = Pipe()
                    process.standardOutput = out
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
                    DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: killer)
                    let data = out.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    killer.cancel()
                    return String(decoding: data, as: UTF8.self)
                })
            }.start()
        }
    }
}
