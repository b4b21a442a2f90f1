import Foundation

/// Runs the raw LMDB reference program (Benchmarks/Reference/lmdb_reference.c).
enum Reference {
    nonisolated(unsafe) static var executable = "./.build-bench/lmdb_reference"

    /// Runs it and returns (count, seconds).
    static func run(_ arguments: [String]) throws -> (Double, Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard process.terminationStatus == 0, parts.count >= 2, let n = Double(parts[0]), let s = Double(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchError("reference \(arguments.joined(separator: " ")) failed")
        }
        return (n, s)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
