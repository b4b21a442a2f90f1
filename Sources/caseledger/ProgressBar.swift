import CaseLedger
import Foundation

/// One progress line for a long command: what is done, the rate and the time
/// left, measured here from the command's own clock. On a terminal the line
/// is redrawn in place; otherwise (logs, CI) a line is printed every tenth.
final class ProgressBar: Sendable {
    private struct State {
        var lastTenth = -1
        var shown = false
        var done: UInt64 = 0
    }

    private let label: String
    private let terminal = Output.stderrIsTerminal
    private let started = ContinuousClock.now
    private let state = Locked(State())

    init(_ label: String) { self.label = label }

    /// Reports progress: `done` events out of `total` (when known), or a
    /// fraction of the work when the total is not a count of events.
    func update(done: UInt64, total: UInt64?, fraction: Double? = nil) {
        let elapsed = Self.seconds(ContinuousClock.now - started)
        let part = fraction ?? total.map { $0 == 0 ? 1 : Double(done) / Double($0) } ?? 0
        let clamped = min(1, max(0, part))
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = clamped > 0 && clamped < 1 ? elapsed * (1 - clamped) / clamped : 0
        let pct = Int((clamped * 100).rounded(.down))
        let text = "\(label): \(done)\(total.map { " of \($0)" } ?? "") events, \(pct)%, \(Int(rate)) events/s, \(Self.duration(left)) left"
        state.withLock { s in
            s.done = done
            if terminal {
                let width = 30
                let filled = width * pct / 100
                let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(text)".utf8))
                s.shown = true
            } else if pct / 10 != s.lastTenth {
                s.lastTenth = pct / 10
                Output.error(text)
            }
        }
    }

    /// Ends the line with what was done, the time taken and the true rate.
    func finish() {
        let elapsed = Self.seconds(ContinuousClock.now - started)
        let (done, shown) = state.withLock { ($0.done, $0.shown) }
        let rate = elapsed > 0 ? Int(Double(done) / elapsed) : 0
        let text = "\(label): \(done) events in \(Self.duration(elapsed)) (\(rate) events/s)"
        if terminal && shown {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)\n".utf8))
        } else if !terminal {
            Output.error(text)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// "12s", "3m 05s", "0.4s".
    static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1fs", seconds) }
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s)s" : String(format: "%dm %02ds", s / 60, s % 60)
    }
}
