import Foundation

/// An index a storage keeps beside its records. Readers rely on them (reads
/// by stream, aggregate loads, idempotent appends, category reads), so
/// ``LogVerifier`` checks every entry of each against the records.
public enum StorageIndex: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Stream name and version → position.
    case streams
    /// Stream name → its last version.
    case heads
    /// Event id → position.
    case eventIDs
    /// Category and position.
    case categories

    public var description: String { rawValue }
}

/// One entry of a ``StorageIndex``, as the storage keeps it.
public enum IndexEntry: Sendable, Hashable {
    /// `stream` version `version` is the record at `position`.
    case stream(String, version: UInt64, position: UInt64)
    /// `stream`'s last version is `version`.
    case head(String, version: UInt64)
    /// The event with this id is the record at `position`.
    case eventID(UUID, position: UInt64)
    /// The record at `position` is of `category`.
    case category(String, position: UInt64)

    /// The position the entry names, if it names one.
    public var position: UInt64? {
        switch self {
        case .stream(_, _, let p), .eventID(_, let p), .category(_, let p): return p
        case .head: return nil
        }
    }
}

extension IndexEntry: CustomStringConvertible {
    public var description: String {
        switch self {
        case .stream(let s, let v, let p): return "\(s) version \(v) → position \(p)"
        case .head(let s, let v): return "\(s) → last version \(v)"
        case .eventID(let id, let p): return "event \(id.uuidString.lowercased()) → position \(p)"
        case .category(let c, let p): return "\(c) at position \(p)"
        }
    }

}
