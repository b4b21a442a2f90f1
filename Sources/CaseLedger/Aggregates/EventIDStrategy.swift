import Crypto
import Foundation

/// How an ``AggregateRepository`` gives ids to the events it appends.
public enum EventIDStrategy: Sendable, Hashable {
    /// A new time-ordered UUID per event (`UUID.timeOrdered()`).
    case random
    /// A UUID derived from a namespace, the stream and the stream version:
    /// the same inputs always give the same id (deterministic logs), and a
    /// retried command at the same version is an idempotent repeat.
    case derived(namespace: UUID)

    /// The id of the event that will have `version` in `stream`.
    public func id(stream: String, version: UInt64) -> UUID {
        switch self {
        case .random: return .timeOrdered()
        case .derived(let namespace): return EventIDStrategy.derive(namespace: namespace, parts: [stream], number: version)
        }
    }

    /// A name-based UUID (version 8 layout) from SHA-256 over a namespace,
    /// strings and a number.
    public static func derive(namespace: UUID, parts: [String], number: UInt64) -> UUID {
        var hasher = SHA256()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        for part in parts {
            hasher.update(data: Array(part.utf8))
            hasher.update(data: [0])
        }
        withUnsafeBytes(of: number.bigEndian) { hasher.update(bufferPointer: $0) }
        var b = Array(hasher.finalize().prefix(16))
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
