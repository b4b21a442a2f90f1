import Foundation

/// Timing and memory helpers.
enum Measure {
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        return (ContinuousClock.now - start) / .seconds(1)
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }

    /// Anonymous resident memory of this process in bytes (heap and stacks;
    /// not the file pages LMDB maps, which the kernel can drop at will).
    static func anonymousRSS() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("RssAnon:") {
            let kb = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
            return kb * 1024
        }
        return 0
    }

    /// Bytes this process has handed to write system calls so far
    /// (`wchar` in /proc/self/io: LMDB's page writes, whatever the file
    /// system does with them).
    static func bytesWritten() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Double(line.split(separator: " ").last ?? "0") ?? 0
        }
        return 0
    }

    static func fresh(_ label: String) -> String {
        let dir = NSTemporaryDirectory() + "caseledger-bench/\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: NSTemporaryDirectory() + "caseledger-bench", withIntermediateDirectories: true)
        return dir
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}
