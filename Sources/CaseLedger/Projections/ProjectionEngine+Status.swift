import Foundation
import Metrics

/// What a ``ProjectionEngine`` is doing.
public enum ProjectionRunState: Sendable, Hashable, CustomStringConvertible {
    /// Registered, not following.
    case idle
    /// Folding the events behind the head.
    case catchingUp
    /// Following live appends.
    case live
    /// Waiting to lead: another process runs these projections
    /// (``ProjectionEngine/follow(leadership:name:)``).
    case standby
    /// Stopped (``ProjectionEngine/stop()``, or its task cancelled).
    case stopped
    /// Stopped by an error, given here; ``ProjectionEngine/lastError`` holds it.
    case failed(String)

    public var description: String {
        switch self {
        case .idle: return "idle"
        case .catchingUp: return "catching up"
        case .live: return "live"
        case .standby: return "standby"
        case .stopped: return "stopped"
        case .failed(let why): return "failed: \(why)"
        }
    }
}

/// One projection's progress.
public struct ProjectionStatus: Sendable, Hashable {
    /// The projection's name.
    public var name: String
    /// The last event folded in.
    public var checkpoint: UInt64
    /// The checkpoint as last saved (`nil` when never saved).
    public var savedCheckpoint: UInt64?
    /// The log's head.
    public var head: UInt64
    /// Events not yet folded in.
    public var lagEvents: UInt64 { head > checkpoint ? head - checkpoint : 0 }
    /// How long ago the oldest event not yet folded in was recorded (0 when none is).
    public var lagSeconds: Double
    /// What the engine is doing.
    public var state: ProjectionRunState
}

extension ProjectionEngine {
    /// Every projection's checkpoint, saved checkpoint, lag behind the head
    /// (in events and in seconds) and the engine's state.
    ///
    /// ```swift
    /// for p in try await engine.status() { print(p.name, p.lagEvents, p.state) }
    /// ```
    public func status() async throws -> [ProjectionStatus] {
        let head = try await store.head().position
        let checkpoints: [(String, UInt64)] = try await exclusively { slots.map { ($0.name, $0.checkpoint) } }
        var out: [ProjectionStatus] = []
        for (name, checkpoint) in checkpoints {
            out.append(ProjectionStatus(name: name, checkpoint: checkpoint, savedCheckpoint: saved[name], head: head,
                                        lagSeconds: try await Self.lagSeconds(store: store, checkpoint: checkpoint, head: head), state: runState))
        }
        return out
    }

    /// How long ago the first event after `checkpoint` was recorded.
    static func lagSeconds(store: any EventStore, checkpoint: UInt64, head: UInt64) async throws -> Double {
        guard checkpoint < head else { return 0 }
        var recorded: Timestamp?
        try await store.scanRecords(from: checkpoint + 1, through: checkpoint + 1, category: nil) { view in
            recorded = view.recordedAt
            return false
        }
        guard let recorded else { return 0 }
        return max(0, Double(Timestamp.now().microsecondsSince1970 - recorded.microsecondsSince1970) / 1_000_000)
    }

    /// Publishes each projection's checkpoint and lag behind the head as
    /// gauges (`caseledger_projection_checkpoint`,
    /// `caseledger_projection_lag_events`, dimension `projection`), after each fold.
    func reportProgress() async {
        guard let head = try? await store.head().position else { return }
        for slot in slots where slot.checkpoint <= head {
            let dimensions = [("projection", slot.name)]
            Gauge(label: "caseledger_projection_checkpoint", dimensions: dimensions).record(Int64(clamping: slot.checkpoint))
            Gauge(label: "caseledger_projection_lag_events", dimensions: dimensions).record(Int64(clamping: head - slot.checkpoint))
        }
    }
}
