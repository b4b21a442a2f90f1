import Foundation

/// A progress bar on a terminal; plain progress lines otherwise (logs, CI).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let terminal = Output.stderrIsTerminal
    private var lastLine = -1
    private let lock = NSLock()

    init(_ label: String) { self.label = label }

    /// Shows events done, the fraction, the rate and the time left.
    func update(events: UInt64, fraction: Double, rate: Double, secondsLeft: Double) {
        lock.withLock {
            let pct = Int((min(1, max(0, fraction)) * 100).rounded(.down))
            let text = "\(label): \(events) events, \(pct)%, \(Int(rate)) events/s, \(Int(secondsLeft.rounded()))s left"
            if terminal {
                let width = 30
                let filled = width * pct / 100
                let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                FileHandle.standardError.write(Data("\r[\(bar)] \(text)   ".utf8))
            } else if pct / 10 != lastLine {
                lastLine = pct / 10
                Output.error(text)
            }
        }
    }

    /// Ends the bar's line.
    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
